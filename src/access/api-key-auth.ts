import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** What the handshake offers (a subset of Socket.IO's `socket.handshake`). */
export interface VoiceHandshake {
  auth: unknown;
  address: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Who a connection is: sessions can only be resumed by the same principal. */
export type VoiceAuthResult = { ok: true; principal: string } | { ok: false; reason: string };

const LOOPBACK_PRINCIPAL = 'loopback';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.trim().replace(/^\[|\]$/g, '');
  const v4 = bare.toLowerCase().startsWith('::ffff:') ? bare.slice(7) : bare;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare);
  return false;
}

/** Every address a proxy says the request went through (`X-Forwarded-For`, `Forwarded: for=`). */
function forwardedAddresses(headers: VoiceHandshake['headers']): string[] {
  const join = (value: string | string[] | undefined): string =>
    Array.isArray(value) ? value.join(',') : (value ?? '');
  const addresses = join(headers['x-forwarded-for'])
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  // RFC 7239: for=192.0.2.1, for="192.0.2.1:4711", for="[2001:db8::1]:4711", for=unknown (never loopback).
  for (const match of join(headers['forwarded']).matchAll(/for="?(\[[^\]]*\]|[^;,"\s]+)/gi)) {
    const node = match[1];
    addresses.push(node.startsWith('[') ? node.slice(1, -1) : node.replace(/^([\d.]+):\d+$/, '$1'));
  }
  return addresses;
}

/** The token from `auth: { token }`; anything else is no token. */
export function handshakeToken(auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null) return undefined;
  const token = (auth as { token?: unknown }).token;
  return typeof token === 'string' ? token : undefined;
}

/** The session a client asks to resume, from `auth: { sessionId }`; anything malformed is no request. */
export function handshakeSessionId(auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null) return undefined;
  const sessionId = (auth as { sessionId?: unknown }).sessionId;
  return typeof sessionId === 'string' && sessionId.length > 0 && sessionId.length <= 64
    ? sessionId
    : undefined;
}

/**
 * Handshake authentication (docs/protocol.md). With `VOICE_API_KEYS`, the token must match one of them: compared as
 * SHA-256 digests with `timingSafeEqual` against every key (no early exit), so neither the length nor the prefix
 * of a key leaks through timing. Without keys, only loopback clients are accepted — and a request a proxy
 * forwarded from elsewhere is not loopback, even when the proxy itself is.
 */
export class VoiceAuthenticator {
  private readonly keyDigests: readonly Buffer[];

  constructor(apiKeys: readonly string[]) {
    this.keyDigests = apiKeys.filter((key) => key.length > 0).map(sha256);
  }

  get keysConfigured(): boolean {
    return this.keyDigests.length > 0;
  }

  authenticate(handshake: VoiceHandshake): VoiceAuthResult {
    if (!this.keysConfigured) {
      const addresses = [handshake.address, ...forwardedAddresses(handshake.headers)];
      return addresses.every(isLoopbackAddress)
        ? { ok: true, principal: LOOPBACK_PRINCIPAL }
        : { ok: false, reason: 'no VOICE_API_KEYS configured: only loopback clients may connect' };
    }
    const token = handshakeToken(handshake.auth);
    if (token === undefined) return { ok: false, reason: 'missing auth.token' };
    const digest = sha256(token);
    let matched: Buffer | null = null;
    for (const key of this.keyDigests) {
      if (timingSafeEqual(digest, key) && matched === null) matched = key;
    }
    if (matched === null) return { ok: false, reason: 'invalid auth.token' };
    // A digest prefix names the key without storing it; sessions are bound to it.
    return { ok: true, principal: `key:${matched.subarray(0, 8).toString('hex')}` };
  }
}
