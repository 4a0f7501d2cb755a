import { checkBrowserAccess } from './browser-access';

describe('checkBrowserAccess', () => {
  const loopbackOnly = { corsOrigins: [], loopbackOnly: true };
  const withKeys = { corsOrigins: ['https://app.example.com'], loopbackOnly: false };

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'app.localhost', 'LOCALHOST'])(
    'loopback-only: serves Host %s',
    (host) => expect(checkBrowserAccess({ host }, loopbackOnly).ok).toBe(true),
  );

  it.each(['evil.test:3000', '10.0.0.1', 'localhost.evil.test', '[::ffff:a00:1]', ''])(
    'loopback-only: refuses Host %s (DNS rebinding)',
    (host) => expect(checkBrowserAccess({ host }, loopbackOnly).ok).toBe(false),
  );

  it('with keys, any Host; Origins must be listed or the page itself', () => {
    expect(checkBrowserAccess({ host: 'voice.example' }, withKeys).ok).toBe(true);
    expect(checkBrowserAccess({ host: 'voice.example', origin: 'https://voice.example' }, withKeys).ok).toBe(
      true,
    );
    expect(checkBrowserAccess({ host: 'x', origin: 'https://app.example.com' }, withKeys).ok).toBe(true);
    expect(checkBrowserAccess({ host: 'voice.example', origin: 'https://evil.test' }, withKeys).ok).toBe(
      false,
    );
    expect(checkBrowserAccess({ host: 'voice.example', origin: 'null' }, withKeys).ok).toBe(false);
  });

  it('no Host and no Origin: not a browser, served', () => {
    expect(checkBrowserAccess({}, loopbackOnly).ok).toBe(true);
  });

  it('* allows any origin', () => {
    const any = { corsOrigins: ['*'], loopbackOnly: false };
    expect(checkBrowserAccess({ host: 'a', origin: 'https://evil.test' }, any).ok).toBe(true);
  });
});
