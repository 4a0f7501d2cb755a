/**
 * What logs show of a session id: its first 8 characters. A whole id lets whoever reads the logs resume the
 * session (with the same credentials); a prefix is enough to follow one session through the logs.
 */
export function sessionIdPrefix(sessionId: string | null): string {
  if (sessionId === null) return '-';
  return sessionId.length <= 8 ? sessionId : `${sessionId.slice(0, 8)}…`;
}
