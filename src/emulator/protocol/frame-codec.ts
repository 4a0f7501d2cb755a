/**
 * The Speech websocket message format. Text frames: `Name: value` header lines separated by CRLF, a blank
 * line, then the body. Binary frames: a 2-byte big-endian header length (the SDK reads it as a signed int16),
 * the ASCII header block, then the payload.
 */

export class FrameDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameDecodeError';
  }
}

/** Header names are lower-cased on decode (the SDK does the same); values keep their case. */
export type FrameHeaders = Record<string, string>;

export interface TextFrame {
  kind: 'text';
  headers: FrameHeaders;
  path: string;
  requestId: string;
  body: string;
}

export interface BinaryFrame {
  kind: 'binary';
  headers: FrameHeaders;
  path: string;
  requestId: string;
  body: Buffer;
}

const CRLF = '\r\n';
const MAX_HEADER_BYTES = 0x7fff;

export function parseHeaderBlock(block: string): FrameHeaders {
  const headers: FrameHeaders = {};
  for (const line of block.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new FrameDecodeError(`Malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function requirePath(headers: FrameHeaders): string {
  const path = headers['path'];
  if (!path) throw new FrameDecodeError('Message has no Path header');
  return path;
}

export function decodeTextFrame(text: string): TextFrame {
  const split = text.indexOf(CRLF + CRLF);
  const headerBlock = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  const headers = parseHeaderBlock(headerBlock);
  return { kind: 'text', headers, path: requirePath(headers), requestId: headers['x-requestid'] ?? '', body };
}

export function decodeBinaryFrame(data: Buffer): BinaryFrame {
  if (data.length < 2) throw new FrameDecodeError('Binary message shorter than its 2-byte header length');
  const headerLength = data.readInt16BE(0);
  if (headerLength < 0)
    throw new FrameDecodeError(`Binary message has a negative header length (${headerLength})`);
  if (data.length < 2 + headerLength) {
    throw new FrameDecodeError(
      `Binary message header length ${headerLength} exceeds the message (${data.length} bytes)`,
    );
  }
  const headers = parseHeaderBlock(data.toString('latin1', 2, 2 + headerLength));
  // subarray, not a copy: audio payloads are consumed before the next frame arrives.
  const body = data.subarray(2 + headerLength);
  return {
    kind: 'binary',
    headers,
    path: requirePath(headers),
    requestId: headers['x-requestid'] ?? '',
    body,
  };
}

/** Ordered header list: the order is kept on the wire (Path first, like the service). */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

function headerBlock(headers: HeaderList): string {
  let out = '';
  for (const [name, value] of headers) {
    if (/[\r\n:]/.test(name) || /[\r\n]/.test(value))
      throw new Error(`Invalid header ${JSON.stringify(name)}`);
    out += `${name}: ${value}${CRLF}`;
  }
  return out;
}

export function encodeTextFrame(headers: HeaderList, body: string): string {
  return `${headerBlock(headers)}${CRLF}${body}`;
}

export function encodeBinaryFrame(headers: HeaderList, payload: Uint8Array): Buffer {
  const block = Buffer.from(headerBlock(headers), 'latin1');
  if (block.length > MAX_HEADER_BYTES) throw new Error(`Header block too long (${block.length} bytes)`);
  const out = Buffer.allocUnsafe(2 + block.length + payload.length);
  out.writeInt16BE(block.length, 0);
  block.copy(out, 2);
  out.set(payload, 2 + block.length);
  return out;
}

/** The headers every service message carries. */
export function serviceHeaders(
  path: string,
  requestId: string,
  contentType?: string,
): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['X-RequestId', requestId],
    ['Path', path],
    ['X-Timestamp', new Date().toISOString()],
  ];
  if (contentType) headers.push(['Content-Type', contentType]);
  return headers;
}
