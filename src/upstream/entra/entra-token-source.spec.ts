import { expect, jest } from '@jest/globals';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { COGNITIVE_SERVICES_SCOPE, EntraTokenSource } from './entra-token-source';

const RESOURCE_ID = '/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a';

/** A credential whose answers the test scripts: tokens of `lifetimeMs`, or failures while `failing` is set. */
class ScriptedCredential implements TokenCredential {
  calls = 0;
  failing: string | null = null;
  constructor(private readonly lifetimeMs: number) {}
  getToken(scope: string | string[]): Promise<AccessToken> {
    expect(scope).toBe(COGNITIVE_SERVICES_SCOPE);
    this.calls++;
    if (this.failing !== null) return Promise.reject(new Error(this.failing));
    return Promise.resolve({
      token: `secret-${this.calls}`,
      expiresOnTimestamp: Date.now() + this.lifetimeMs,
    });
  }
}

function source(credential: TokenCredential, refreshSkewMs = 120_000) {
  const logger = { log: jest.fn<(m: string) => void>(), warn: jest.fn<(m: string) => void>() };
  const tokens = new EntraTokenSource({
    credential,
    resourceId: RESOURCE_ID,
    refreshSkewMs,
    logger,
    retryMinMs: 1_000,
  });
  return { tokens, logger };
}

/** Lets the credential's promise and the source's handlers run under fake timers. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('EntraTokenSource', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it("gives tokens in the SDK's Entra form and refreshes 'skew' ahead of expiry, telling every subscriber", async () => {
    const credential = new ScriptedCredential(60 * 60_000);
    const { tokens, logger } = source(credential, 120_000);
    const seen: string[] = [];
    tokens.subscribe((token) => seen.push(token.value));
    await tokens.start();
    expect(tokens.current()).toEqual({
      value: `aad#${RESOURCE_ID}#secret-1`,
      expiresAt: 1_000_000 + 3_600_000,
    });
    await jest.advanceTimersByTimeAsync(3_600_000 - 120_000 - 1);
    expect(credential.calls).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(credential.calls).toBe(2);
    expect(seen).toEqual([`aad#${RESOURCE_ID}#secret-1`, `aad#${RESOURCE_ID}#secret-2`]);
    expect(logger.log).toHaveBeenCalledTimes(1);
    tokens.stop();
  });

  it('refreshes a short-lived token at half its lifetime when the skew is longer than that', async () => {
    const credential = new ScriptedCredential(6_000);
    const { tokens } = source(credential, 120_000);
    await tokens.start();
    await jest.advanceTimersByTimeAsync(2_999);
    expect(credential.calls).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(credential.calls).toBe(2);
    // Ten lifetimes later the token has never lapsed.
    for (let t = 0; t < 60_000; t += 500) {
      await jest.advanceTimersByTimeAsync(500);
      expect(tokens.current()).not.toBeNull();
    }
    tokens.stop();
  });

  it('a failing credential: one line when it fails, one when the last token expires, one on recovery; never the token', async () => {
    const credential = new ScriptedCredential(10_000);
    const { tokens, logger } = source(credential, 2_000);
    await tokens.start();
    credential.failing = 'ManagedIdentityCredential: connect ECONNREFUSED 127.0.0.1:1';
    await jest.advanceTimersByTimeAsync(8_000); // the refresh fails, and its retries
    await settle();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/ECONNREFUSED.*stays valid for 2 s/);
    expect(tokens.status()).toMatchObject({
      valid: true,
      lastError: expect.stringContaining('ECONNREFUSED'),
    });
    await jest.advanceTimersByTimeAsync(2_000);
    await settle();
    expect(tokens.current()).toBeNull();
    expect(tokens.status().valid).toBe(false);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[1]?.[0]).toMatch(/no valid token remains/);
    await jest.advanceTimersByTimeAsync(60_000); // retried with backoff, no new lines for the same failure
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(credential.calls).toBeGreaterThan(4);
    credential.failing = null;
    await jest.advanceTimersByTimeAsync(30_000);
    await settle();
    expect(tokens.current()).not.toBeNull();
    expect(logger.log.mock.calls.at(-1)?.[0]).toMatch(/recovered/);
    const lines = [...logger.log.mock.calls, ...logger.warn.mock.calls].flat().join('\n');
    expect(lines).not.toMatch(/secret-/);
    tokens.stop();
  });

  it('a credential that fails from the start leaves no token, and start() still resolves', async () => {
    const credential = new ScriptedCredential(10_000);
    credential.failing = 'CredentialUnavailableError: no credential';
    const { tokens, logger } = source(credential);
    await tokens.start();
    expect(tokens.current()).toBeNull();
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/no valid token remains: readiness is down/);
    tokens.stop();
  });
});
