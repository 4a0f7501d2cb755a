const SESSION_KEY = 'warmline.sessionId';

/**
 * The voice session's id, kept for the tab: a reload (or a reconnect) resumes the same session and finds its
 * DEDICATED synthesizer still there.
 */
export function readSessionId(): string | null {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

export function writeSessionId(sessionId: string): void {
  try {
    sessionStorage.setItem(SESSION_KEY, sessionId);
  } catch {
    // storage disabled: the client still keeps the id in memory for reconnects
  }
}
