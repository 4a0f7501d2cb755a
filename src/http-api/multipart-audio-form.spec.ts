import { expect } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import {
  readMultipartAudioForm,
  type AudioFormFile,
  type MultipartAudioOptions,
} from './multipart-audio-form';

const BOUNDARY = 'warmlineboundary';

type Part = { name: string; value: string } | { name: string; file: Buffer };

function formRequest(parts: Part[], chunkSize = 7): IncomingMessage {
  const body = Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"` +
          ('file' in part ? `; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n` : '\r\n\r\n'),
      ),
      'file' in part ? part.file : Buffer.from(part.value),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
  const stream = new PassThrough();
  Object.assign(stream, { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } });
  // Written in small pieces, as a network would deliver it.
  for (let i = 0; i < body.length; i += chunkSize) stream.write(body.subarray(i, i + chunkSize));
  stream.end();
  return stream as unknown as IncomingMessage;
}

/** The request's own bytes are the body (the controller paces them first). */
const readForm = (
  request: IncomingMessage,
  options: MultipartAudioOptions,
  onFile: (file: AudioFormFile) => Promise<void>,
): Promise<Map<string, string>> => readMultipartAudioForm(request, request, options, onFile);

async function collect(file: AudioFormFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.chunks) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('readMultipartAudioForm', () => {
  const options = { maxUploadBytes: 1000, fileField: 'file' };

  it('streams the file and reports the fields seen before it and in all', async () => {
    const audio = Buffer.alloc(600, 7);
    let received: Buffer | null = null;
    let before: ReadonlyMap<string, string> | null = null;
    const fields = await readForm(
      formRequest([
        { name: 'model', value: 'whisper-1' },
        { name: 'file', file: audio },
        { name: 'language', value: 'en' },
        { name: 'timestamp_granularities[]', value: 'word' },
        { name: 'timestamp_granularities[]', value: 'segment' },
      ]),
      options,
      async (file) => {
        before = file.fieldsBefore;
        received = await collect(file);
      },
    );
    expect(received).toEqual(audio);
    expect(before).toEqual(new Map([['model', 'whisper-1']]));
    expect(fields).toEqual(
      new Map([
        ['model', 'whisper-1'],
        ['language', 'en'],
        ['timestamp_granularities[]', 'word,segment'],
      ]),
    );
  });

  it('refuses a file over the limit with 413 without reading it whole', async () => {
    let seen = 0;
    const result = readForm(
      formRequest([{ name: 'file', file: Buffer.alloc(5000) }], 100),
      options,
      async (file) => {
        for await (const chunk of file.chunks) seen += chunk.length;
      },
    );
    await expect(result).rejects.toMatchObject({ code: 'BAD_REQUEST', status: 413 });
    expect(seen).toBeLessThanOrEqual(1000);
  });

  it.each([
    [[{ name: 'model', value: 'x' }], /no "file" file field/],
    [[{ name: 'audio', file: Buffer.alloc(4) }], /unexpected file field "audio"/],
  ])('refuses a form without the file', async (parts, message) => {
    await expect(
      readForm(formRequest(parts as Part[]), options, async (file) => void (await collect(file))),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });
  });

  it('refuses a request that is not multipart with 415', async () => {
    const request = Object.assign(new PassThrough(), { headers: { 'content-type': 'application/json' } });
    await expect(
      readForm(request as unknown as IncomingMessage, options, () => Promise.resolve()),
    ).rejects.toMatchObject({ status: 415 });
  });
});
