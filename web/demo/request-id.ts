let counter = 0;

/** A request id unique within the page (crypto.randomUUID needs a secure context; plain http from the LAN is not). */
export function nextRequestId(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
