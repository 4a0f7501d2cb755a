import { VoiceAuthenticator, handshakeSessionId, isLoopbackAddress } from './api-key-auth';

const handshake = (address: string, auth: unknown = {}, headers: Record<string, string> = {}) => ({
  address,
  auth,
  headers,
});

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1', '[::1]'])(
    '%s is loopback',
    (a) => expect(isLoopbackAddress(a)).toBe(true),
  );
  it.each(['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.2', '2001:db8::1', 'localhost', '', 'unknown'])(
    '%s is not loopback',
    (a) => expect(isLoopbackAddress(a)).toBe(false),
  );
});

describe('VoiceAuthenticator without keys', () => {
  const auth = new VoiceAuthenticator([]);

  it('accepts loopback clients, whatever token they send', () => {
    expect(auth.authenticate(handshake('::ffff:127.0.0.1'))).toEqual({ ok: true, principal: 'loopback' });
    expect(auth.authenticate(handshake('::1', { token: 'whatever' })).ok).toBe(true);
  });

  it('refuses other addresses', () => {
    expect(auth.authenticate(handshake('10.1.2.3')).ok).toBe(false);
  });

  it('refuses requests a local proxy forwarded from elsewhere', () => {
    expect(auth.authenticate(handshake('127.0.0.1', {}, { 'x-forwarded-for': '203.0.113.5' })).ok).toBe(
      false,
    );
    expect(auth.authenticate(handshake('127.0.0.1', {}, { forwarded: 'for=unknown' })).ok).toBe(false);
    expect(
      auth.authenticate(handshake('127.0.0.1', {}, { forwarded: 'for="[::1]:4711", for=127.0.0.1:80' })).ok,
    ).toBe(true);
  });
});

describe('VoiceAuthenticator with keys', () => {
  const auth = new VoiceAuthenticator(['alpha-key', 'beta-key', '']);

  it('accepts any configured key from any address, with a stable principal per key', () => {
    const a = auth.authenticate(handshake('203.0.113.9', { token: 'alpha-key' }));
    const b = auth.authenticate(handshake('10.0.0.1', { token: 'beta-key' }));
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.principal).not.toEqual(b.principal);
      expect(a.principal).not.toContain('alpha');
      expect(auth.authenticate(handshake('::1', { token: 'alpha-key' }))).toEqual(a);
    }
  });

  it.each([
    ['a wrong token', { token: 'alpha-kez' }],
    ['a prefix of a key', { token: 'alpha' }],
    ['an empty token (empty keys are ignored)', { token: '' }],
    ['no token', {}],
    ['a non-string token', { token: 42 }],
    ['a non-object auth', 'alpha-key'],
  ])('refuses %s, even from loopback', (_name, offered) => {
    expect(auth.authenticate(handshake('127.0.0.1', offered)).ok).toBe(false);
  });
});

describe('handshakeSessionId', () => {
  it('reads a sane string and ignores anything else', () => {
    expect(handshakeSessionId({ sessionId: 'abc' })).toBe('abc');
    expect(handshakeSessionId({ sessionId: 7 })).toBeUndefined();
    expect(handshakeSessionId({ sessionId: 'x'.repeat(65) })).toBeUndefined();
    expect(handshakeSessionId(null)).toBeUndefined();
  });
});
