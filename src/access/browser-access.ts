import { isLoopbackAddress } from './api-key-auth';

/** Which pages may call: CORS_ORIGINS, and whether only loopback clients are served (no VOICE_API_KEYS). */
export interface BrowserAccessPolicy {
  /** CORS_ORIGINS; `*` allows any origin. */
  corsOrigins: readonly string[];
  /** No API keys configured: only loopback clients are served, so only loopback host names are ours. */
  loopbackOnly: boolean;
}

export type BrowserAccessResult = { ok: true } | { ok: false; reason: string };

/** `localhost`, `*.localhost` and loopback addresses: names that can only mean this machine. */
export function isLoopbackHostName(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/** The host name of a Host header (`name:port`, `[v6]:port`); undefined when it is not one. */
function hostNameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * One check for every HTTP request and every Socket.IO handshake, against DNS rebinding and cross-site requests.
 *
 * - Loopback-only mode: the Host header must name this machine (localhost, 127.x, [::1]). A page on
 *   `http://evil.example:PORT/` whose name resolves to 127.0.0.1 sends its own name as Host — even for
 *   same-origin GETs, which carry no Origin.
 * - An Origin (browsers send one on every cross-origin request, every POST and every websocket) must be listed in
 *   CORS_ORIGINS, or be a page this service served itself (its Origin names the Host it was loaded from).
 *
 * Requests without Host or Origin are not from a browser (servers, CLIs, telephony bridges) and pass this check;
 * authentication still applies.
 */
export function checkBrowserAccess(
  headers: { host?: string; origin?: string },
  policy: BrowserAccessPolicy,
): BrowserAccessResult {
  const { host, origin } = headers;
  if (policy.loopbackOnly && host !== undefined) {
    const name = hostNameOf(host);
    if (name === undefined || !isLoopbackHostName(name)) {
      return {
        ok: false,
        reason:
          'without VOICE_API_KEYS only loopback clients are served: the Host header must be a loopback name',
      };
    }
  }
  if (origin === undefined || policy.corsOrigins.includes('*') || policy.corsOrigins.includes(origin)) {
    return { ok: true };
  }
  if (isOwnPage(origin, host)) return { ok: true };
  return { ok: false, reason: 'origin not allowed (CORS_ORIGINS)' };
}

/** A page this service served itself connecting back: its Origin names the host it was loaded from. */
function isOwnPage(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
