import { expect } from '@jest/globals';
import { bypassesProxy, proxyFor } from './proxy-settings';

describe('proxy settings for the Speech connections', () => {
  const config = {
    url: 'http://user:p%40ss@proxy.corp:3128',
    noProxy: ['localhost', '.internal', '10.0.0.5:5000'],
  };

  it('tunnels an Azure region and a custom domain through HTTPS_PROXY, with its credentials', () => {
    expect(proxyFor({ kind: 'azure', region: 'westeurope' }, config)).toEqual({
      host: 'proxy.corp',
      port: 3128,
      username: 'user',
      password: 'p@ss',
    });
    expect(
      proxyFor({ kind: 'endpoint', url: 'https://my.cognitiveservices.azure.com' }, config),
    ).toMatchObject({
      host: 'proxy.corp',
    });
  });

  it('connects directly to hosts NO_PROXY names (domains, subdomains, host:port), and without HTTPS_PROXY', () => {
    expect(proxyFor({ kind: 'host', url: 'ws://localhost:5000' }, config)).toBeUndefined();
    expect(proxyFor({ kind: 'host', url: 'ws://speech.svc.internal:5000' }, config)).toBeUndefined();
    expect(proxyFor({ kind: 'host', url: 'ws://10.0.0.5:5000' }, config)).toBeUndefined();
    expect(proxyFor({ kind: 'host', url: 'ws://10.0.0.5:6000' }, config)).toBeDefined();
    expect(proxyFor({ kind: 'host', url: 'ws://notinternal:5000' }, config)).toBeDefined();
    expect(proxyFor({ kind: 'azure', region: 'westeurope' }, null)).toBeUndefined();
    expect(bypassesProxy('anything.example', '443', ['*'])).toBe(true);
  });
});
