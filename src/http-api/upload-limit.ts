import { payloadTooLarge } from './http-api-error';

const mib = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;

export const uploadTooLarge = (maxBytes: number) =>
  payloadTooLarge(`the upload is larger than HTTP_MAX_UPLOAD (${mib(maxBytes)})`);

/** Refuses up front an upload whose declared Content-Length is already over the limit. */
export function checkDeclaredLength(contentLength: string | undefined, maxBytes: number): void {
  if (contentLength !== undefined && Number(contentLength) > maxBytes) throw uploadTooLarge(maxBytes);
}

/**
 * The chunks of an upload as they arrive (pulled, so a slow consumer slows the sender down), failing with 413
 * the moment more than `maxBytes` came in: nothing past the limit is ever held.
 */
export async function* limitUpload(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw uploadTooLarge(maxBytes);
    yield chunk;
  }
}
