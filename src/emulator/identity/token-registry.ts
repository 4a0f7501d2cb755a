import { randomBytes } from 'node:crypto';

/** How long issued tokens last when the `tokenTtlMs` fault does not say: as the service issues them. */
export const KEY_EXCHANGE_TOKEN_TTL_MS = 10 * 60_000;
export const MANAGED_IDENTITY_TOKEN_TTL_MS = 60 * 60_000;

/** Tokens remembered at most; the oldest are forgotten first (a forgotten token is refused like an expired one). */
const MAX_TOKENS = 10_000;

/**
 * The tokens this emulator issued (managed identity and key exchange) and when each expires, so upgrades can
 * be refused with 401 for a token that is unknown or past its lifetime, as the service does.
 */
export class TokenRegistry {
  private readonly expiries = new Map<string, number>();
  private issuedCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  issue(ttlMs: number): { token: string; expiresAt: number } {
    const token = `emulator-${randomBytes(24).toString('base64url')}`;
    const expiresAt = this.now() + ttlMs;
    this.expiries.set(token, expiresAt);
    this.issuedCount++;
    if (this.expiries.size > MAX_TOKENS) {
      const oldest = this.expiries.keys().next().value;
      if (oldest !== undefined) this.expiries.delete(oldest);
    }
    return { token, expiresAt };
  }

  /** Issued here and not expired. */
  isValid(token: string): boolean {
    const expiresAt = this.expiries.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  get issued(): number {
    return this.issuedCount;
  }

  clear(): void {
    this.expiries.clear();
    this.issuedCount = 0;
  }
}

/**
 * The token an upgrade presents: `Authorization: Bearer <token>` (header or query string), where an Entra ID
 * token comes in the SDK's form `aad#<resource id>#<access token>`.
 */
export function presentedToken(
  headers: Record<string, string | string[] | undefined>,
  url: URL,
): string | null {
  const values: string[] = [];
  const header = headers['authorization'];
  if (typeof header === 'string') values.push(header);
  for (const [name, value] of url.searchParams)
    if (name.toLowerCase() === 'authorization') values.push(value);
  for (const value of values) {
    const bearer = value.replace(/^Bearer\s+/i, '').trim();
    if (bearer === '' || bearer === 'undefined') continue;
    const aad = /^aad#[^#]*#(.+)$/i.exec(bearer);
    return aad?.[1] ?? bearer;
  }
  return null;
}
