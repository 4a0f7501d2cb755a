import type { ProxyConfig } from '../config/app-config';
import type { ProxySettings, SpeechTarget } from '../speech/speech-target';

/** The host a target's connections go to (for Azure regions, the region's speech hosts share a suffix). */
export function targetHost(target: SpeechTarget): { host: string; port: string } {
  if (target.kind === 'azure') return { host: `${target.region}.tts.speech.microsoft.com`, port: '443' };
  const url = new URL(target.url);
  const port = url.port || (url.protocol === 'ws:' || url.protocol === 'http:' ? '80' : '443');
  return { host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
}

/**
 * Whether NO_PROXY exempts a host, as curl reads it: `*` exempts everything; `example.com` and `.example.com`
 * exempt that domain and its subdomains; an entry may name a port (`host:8080`); IP addresses match exactly.
 */
export function bypassesProxy(host: string, port: string, noProxy: readonly string[]): boolean {
  return noProxy.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[(.*)\]/, '$1'));
    const name = (match?.[1] ?? entry).replace(/^\*?\./, '');
    const entryPort = match?.[2];
    if (name === '' || (entryPort !== undefined && entryPort !== port)) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** The proxy for one upstream: none when there is no HTTPS_PROXY or NO_PROXY exempts its host. */
export function proxyFor(
  target: SpeechTarget,
  config: ProxyConfig | null | undefined,
): ProxySettings | undefined {
  if (!config) return undefined;
  const { host, port } = targetHost(target);
  if (bypassesProxy(host, port, config.noProxy)) return undefined;
  const url = new URL(config.url);
  const proxy: ProxySettings = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
  if (url.username) {
    proxy.username = decodeURIComponent(url.username);
    proxy.password = decodeURIComponent(url.password);
  }
  return proxy;
}
