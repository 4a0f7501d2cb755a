import busboy from 'busboy';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { invalidRequest, unsupportedMediaType } from './http-api-error';
import { limitUpload, uploadTooLarge } from './upload-limit';

/** The audio part of a form, handed over as it arrives, with the text fields that came before it. */
export interface AudioFormFile {
  chunks: AsyncIterable<Buffer>;
  fieldsBefore: ReadonlyMap<string, string>;
}

export interface MultipartAudioOptions {
  maxUploadBytes: number;
  /** The name of the file field (OpenAI's is `file`). */
  fileField: string;
}

const MAX_FIELDS = 32;
const MAX_FIELD_BYTES = 16 * 1024;

/**
 * Reads a `multipart/form-data` upload with busboy, streaming: `body` (the request's bytes, paced) is pulled into
 * the parser, the file part goes to `onFile` as it arrives (nothing more is pulled until it has been consumed, so
 * nothing piles up), text fields are collected (the values of a repeated `name[]` field comma-separated). Resolves with every text field once the form has ended and
 * `onFile` has settled; rejects with a BAD_REQUEST (400, 413) for a malformed form, a missing or second file, or a
 * file over the upload limit, and with the body's own failure (408, the client went away). On failure the file
 * stream is destroyed, so that `onFile` stops and frees what it holds.
 */
export function readMultipartAudioForm(
  request: IncomingMessage,
  body: AsyncIterable<Buffer>,
  options: MultipartAudioOptions,
  onFile: (file: AudioFormFile) => Promise<void>,
): Promise<Map<string, string>> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      // One byte over the limit, so that crossing it is seen (limitUpload then refuses it).
      limits: {
        files: 1,
        fileSize: options.maxUploadBytes + 1,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_BYTES,
      },
    });
  } catch {
    return Promise.reject(unsupportedMediaType('Content-Type must be multipart/form-data with a boundary'));
  }
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let file: Promise<void> | null = null;
    let fileStream: Readable | null = null;
    let failed = false;
    const stopped = new AbortController();
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      stopped.abort();
      // Whoever reads the file (holding or recognizing it) stops now, instead of waiting for a part that never ends.
      fileStream?.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        return fail(invalidRequest(`the form field ${name} is longer than ${MAX_FIELD_BYTES} bytes`));
      // A list field (`include[]`, as OpenAI's SDK sends arrays) keeps every value, comma-separated.
      const earlier = name.endsWith('[]') ? fields.get(name) : undefined;
      fields.set(name, earlier === undefined ? value : `${earlier},${value}`);
    });
    parser.on('file', (name, stream: Readable) => {
      if (name !== options.fileField) {
        stream.resume();
        return fail(
          invalidRequest(
            `unexpected file field "${name.slice(0, 32)}"; send the audio as "${options.fileField}"`,
          ),
        );
      }
      fileStream = stream;
      stream.on('limit', () => stream.destroy(uploadTooLarge(options.maxUploadBytes)));
      file = onFile({
        chunks: limitUpload(stream as AsyncIterable<Buffer>, options.maxUploadBytes),
        fieldsBefore: new Map(fields),
      }).catch((error: unknown) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('filesLimit', () => fail(invalidRequest(`send one file (${options.fileField}) per request`)));
    parser.on('fieldsLimit', () => fail(invalidRequest(`the form has more than ${MAX_FIELDS} fields`)));
    parser.on('error', (error: Error) =>
      fail(invalidRequest(`the form is not valid multipart/form-data: ${error.message}`)),
    );
    parser.on('close', () => {
      if (failed) return;
      if (file === null) return fail(invalidRequest(`the form has no "${options.fileField}" file field`));
      void file.then(() => {
        if (!failed) resolve(fields);
      });
    });
    request.on('aborted', () => fail(new Error('the client went away during the upload')));
    void feed(body, parser, stopped.signal).catch(fail);
  });
}

/**
 * Pulls the body into the parser, waiting while the parser is full. After a failure the rest is still read and
 * dropped (and still paced), so that the client gets to see the answer; the answer then closes the connection.
 */
async function feed(body: AsyncIterable<Buffer>, parser: busboy.Busboy, stopped: AbortSignal): Promise<void> {
  for await (const chunk of body) {
    if (stopped.aborted) continue;
    if (!parser.write(chunk)) await once(parser, 'drain', { signal: stopped }).catch(() => undefined);
  }
  if (!stopped.aborted) parser.end();
}
