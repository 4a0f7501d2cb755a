/**
 * The pages load nothing but their own files: no inline script or style, no other origin. `connect-src 'self'`
 * covers the Socket.IO websocket (same host) and the REST calls; `script-src 'self'` also governs the microphone's
 * AudioWorklet module. No media-src: audio is played through Web Audio from the socket's bytes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page and asset is served with. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The demo asks for the microphone itself; nothing else may.
  'Permissions-Policy': 'microphone=(self), camera=(), geolocation=()',
};
