export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** Shows the state word in the `status` element; its pill's colour follows `data-state`. */
export function showConnectionState(status: HTMLElement, state: ConnectionState): void {
  status.textContent = state;
  const pill = status.closest<HTMLElement>('.status');
  if (pill !== null) pill.dataset.state = state;
}
