import { IncomingMessage, STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { FaultSettings } from '../control-plane/fault-settings';
import { presentedToken } from '../identity/token-registry';
import { RecognitionEndpoint, recognitionEndpointFor } from '../recognition/recognition-handler';

export type SpeechRoute = { kind: 'synthesis' } | { kind: 'recognition'; endpoint: RecognitionEndpoint };

export type UpgradeDecision =
  { ok: true; route: SpeechRoute } | { ok: false; status: number; message: string };

/**
 * The SDK's synthesis path (`/tts/cognitiveservices/websocket/v1`), and the v2 path that Microsoft documents for
 * text streaming (`/cognitiveservices/websocket/v2`, set as the endpoint): one handler serves both.
 */
const SYNTHESIS_PATH = /^(\/tts)?\/cognitiveservices\/websocket\/v[12]\/?$/i;

export function routeFor(url: URL): SpeechRoute | undefined {
  if (SYNTHESIS_PATH.test(url.pathname)) return { kind: 'synthesis' };
  const endpoint = recognitionEndpointFor(url.pathname, url.searchParams);
  return endpoint ? { kind: 'recognition', endpoint } : undefined;
}

/** Every place the SDK (or another client) may put the key: headers, query string, or a bearer token. */
export function presentedKeys(req: IncomingMessage, url: URL): string[] {
  const keys: string[] = [];
  const header = req.headers['ocp-apim-subscription-key'];
  if (typeof header === 'string') keys.push(header);
  const authorization = req.headers['authorization'];
  if (typeof authorization === 'string') keys.push(authorization.replace(/^Bearer\s+/i, ''));
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    if (lower === 'ocp-apim-subscription-key' || lower === 'subscription-key') keys.push(value);
    if (lower === 'authorization') keys.push(value.replace(/^Bearer\s+/i, ''));
  }
  return keys;
}

/**
 * Admission of one upgrade, in the order a gateway would apply it: route (404), key (401), token (401, with
 * `requireToken`: one `tokenValid` knows and has not expired), injected refusals (`rejectNext`, default 429),
 * connection cap (429). Mutates `faults.rejectNext` when it refuses.
 */
export function admitUpgrade(
  req: IncomingMessage,
  faults: FaultSettings,
  liveSockets: number,
  tokenValid: (token: string) => boolean = () => false,
): UpgradeDecision {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const route = routeFor(url);
  if (!route) return { ok: false, status: 404, message: `No speech endpoint at ${url.pathname}` };
  if (faults.requireKey !== null && !presentedKeys(req, url).includes(faults.requireKey)) {
    return { ok: false, status: 401, message: 'Access denied due to invalid subscription key' };
  }
  if (faults.requireToken) {
    const token = presentedToken(req.headers, url);
    if (token === null || !tokenValid(token)) {
      const why = token === null ? 'no authorization token' : 'the authorization token is invalid or expired';
      return { ok: false, status: 401, message: `Access denied: ${why}` };
    }
  }
  if (faults.rejectNext > 0) {
    faults.rejectNext--;
    return { ok: false, status: faults.rejectStatus, message: 'Refused by the emulator (rejectNext fault)' };
  }
  if (faults.maxConnections !== null && liveSockets >= faults.maxConnections) {
    return {
      ok: false,
      status: 429,
      message: `Too many connections (maxConnections ${faults.maxConnections})`,
    };
  }
  return { ok: true, route };
}

/** Answers a refused upgrade with a plain HTTP response and drops the socket. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: status, message } });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  if (status === 429 || status === 503) lines.push('Retry-After: 1');
  if (socket.writable) socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 1_000).unref();
}
