import { createHash } from 'node:crypto';

/**
 * What the session directory stores of the API key a session was opened with: a SHA-256, never the key. Without
 * configured keys (loopback clients only) every session has the same, empty, key.
 */
export function apiKeyHash(apiKey: string | undefined): string {
  return createHash('sha256')
    .update(apiKey ?? '')
    .digest('hex');
}
