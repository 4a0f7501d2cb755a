import { expect } from '@jest/globals';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploadMemoryBudget } from '../src/http-api/upload-memory-budget';
import { wavHeader } from '../src/speech/wav-header';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';
import { waitFor } from './support/wait-for';

jest.setTimeout(60_000);

const BOUNDARY = 'limitsboundary';
const KiB = 1024;

/** An upload whose body the test writes piece by piece (chunked) and may never finish. */
function openUpload(url: string, contentType: string) {
  const req: ClientRequest = httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' },
  });
  const answer = new Promise<{ status: number; body: string; connection: string | undefined }>(
    (resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            connection: res.headers.connection,
          }),
        );
      });
      req.on('error', reject);
    },
  );
  // Writes after the server answered and closed fail with EPIPE; the answer is what the tests look at.
  req.on('error', () => undefined);
  return {
    write: (chunk: Buffer | string) => req.write(chunk),
    abort: () => req.destroy(),
    answer,
  };
}

/** The start of an OpenAI form that sends `file` first (as the openai SDK does) and `bytes` of its audio. */
function fileFirstForm(bytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n` +
        'Content-Type: audio/wav\r\n\r\n',
    ),
    wavHeader(16_000),
    Buffer.alloc(bytes),
  ]);
}

const FORM_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The files spooled in `directory` and their bytes (a file removed while looking counts as gone). */
async function spooled(directory: string): Promise<{ files: number; bytes: number }> {
  const sizes = await Promise.all(
    (await readdir(directory)).map((name) =>
      stat(join(directory, name)).then(
        (s) => s.size,
        () => null,
      ),
    ),
  );
  const present = sizes.filter((size) => size !== null);
  return { files: present.length, bytes: present.reduce((sum, size) => sum + size, 0) };
}

/** waitFor for a condition that has to look at the file system. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('upload memory budget (e2e)', () => {
  let service: HttpSpeechApp;
  let spool: string;

  beforeAll(async () => {
    spool = await mkdtemp(join(tmpdir(), 'warmline-spool-test-'));
    service = await startHttpSpeechApp({
      http: { uploadMemoryBytes: 64 * KiB, uploadSpoolDirectory: spool, bodyIdleMs: 60_000 },
    });
  });
  afterAll(async () => {
    await service.close();
    await rm(spool, { recursive: true, force: true });
  });

  it('unfinished file-first forms hold at most the budget in memory, the rest on disk; closing frees both', async () => {
    const budget = service.app.get(UploadMemoryBudget);
    const perUpload = 100 * KiB;
    const uploads = Array.from({ length: 4 }, () =>
      openUpload(`${service.url}/v1/audio/transcriptions`, FORM_TYPE),
    );
    for (const upload of uploads) {
      upload.answer.catch(() => undefined);
      upload.write(fileFirstForm(perUpload));
    }
    // Everything sent is held somewhere: in memory up to the budget, the rest spooled (the WAV headers are
    // held too; only the multipart framing is not).
    const sent = 4 * (perUpload + 44);
    let onDisk = await spooled(spool);
    await until(async () => {
      onDisk = await spooled(spool);
      return budget.held + onDisk.bytes >= sent;
    }, 'every upload held');
    expect(budget.held).toBeLessThanOrEqual(64 * KiB);
    expect(onDisk.files).toBeGreaterThanOrEqual(3);
    expect(budget.held + onDisk.bytes).toBe(sent);

    for (const upload of uploads) upload.abort();
    await waitFor(() => budget.held === 0, 'the memory given back');
    await until(async () => (await readdir(spool)).length === 0, 'the spool files removed');
  });
});

describe('upload spool bound (e2e)', () => {
  let service: HttpSpeechApp;
  let spool: string;

  beforeAll(async () => {
    spool = await mkdtemp(join(tmpdir(), 'warmline-spool-test-'));
    service = await startHttpSpeechApp({
      http: {
        uploadMemoryBytes: 16 * KiB,
        uploadSpoolBytes: 64 * KiB,
        uploadSpoolDirectory: spool,
        bodyIdleMs: 60_000,
      },
    });
  });
  afterAll(async () => {
    await service.close();
    await rm(spool, { recursive: true, force: true });
  });

  it('a held upload beyond HTTP_UPLOAD_SPOOL is answered 503 and leaves nothing behind', async () => {
    const budget = service.app.get(UploadMemoryBudget);
    const upload = openUpload(`${service.url}/v1/audio/transcriptions`, FORM_TYPE);
    upload.write(fileFirstForm(200 * KiB));
    const { status, body } = await upload.answer;
    expect(status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({ code: 'POOL_EXHAUSTED', retryable: true });
    await waitFor(() => budget.held === 0, 'the memory given back');
    await until(async () => (await readdir(spool)).length === 0, 'the spool file removed');
  });
});

describe('stalled and trickled uploads (e2e)', () => {
  let service: HttpSpeechApp;
  let spool: string;

  beforeAll(async () => {
    spool = await mkdtemp(join(tmpdir(), 'warmline-spool-test-'));
    service = await startHttpSpeechApp({
      http: {
        uploadMemoryBytes: 16 * KiB,
        uploadSpoolDirectory: spool,
        // Far longer than the trickle's gaps even on a loaded machine, short enough for a stall to end quickly.
        bodyIdleMs: 1_500,
        minUploadBytesPerSecond: 4 * KiB,
        uploadRateWindowMs: 1_000,
      },
    });
  });
  afterAll(async () => {
    await service.close();
    await rm(spool, { recursive: true, force: true });
  });

  it('a /api/v1/stt upload that stops sending is answered 408 and gives its recognizer back', async () => {
    const upload = openUpload(`${service.url}/api/v1/stt`, 'audio/wav');
    upload.write(Buffer.concat([wavHeader(16_000), Buffer.alloc(8 * KiB)]));
    const { status, body, connection } = await upload.answer;
    expect(status).toBe(408);
    expect(JSON.parse(body)).toMatchObject({
      code: 'TIMEOUT',
      detail: expect.stringContaining('HTTP_BODY_IDLE'),
    });
    expect(connection).toBe('close');
    await waitFor(() => service.stt.snapshot().inUse === 0, 'the recognizer back in the pool');
  });

  it('a form that stalls after its file is answered 408; its memory and its spool file are freed', async () => {
    const budget = service.app.get(UploadMemoryBudget);
    const upload = openUpload(`${service.url}/v1/audio/transcriptions`, FORM_TYPE);
    upload.write(fileFirstForm(64 * KiB));
    const { status, body } = await upload.answer;
    expect(status).toBe(408);
    expect(JSON.parse(body)).toMatchObject({ code: 'TIMEOUT', error: { code: 'timeout' } });
    await waitFor(() => budget.held === 0, 'the memory given back');
    await until(async () => (await readdir(spool)).length === 0, 'the spool files removed');
  });

  it('a trickle (a few bytes, often enough to beat the idle timeout) is answered 408 and holds no recognizer', async () => {
    const upload = openUpload(`${service.url}/api/v1/stt`, 'audio/L16;rate=16000');
    upload.write(Buffer.alloc(2));
    await waitFor(() => service.stt.snapshot().inUse === 1, 'a recognizer taken for the upload');
    const trickle = setInterval(() => upload.write(Buffer.alloc(2)), 50);
    try {
      const { status, body } = await upload.answer;
      expect(status).toBe(408);
      expect(JSON.parse(body)).toMatchObject({
        code: 'TIMEOUT',
        detail: expect.stringMatching(/slower than 4096 bytes\/s/),
      });
    } finally {
      clearInterval(trickle);
    }
    await waitFor(() => service.stt.snapshot().inUse === 0, 'the recognizer back in the pool');
  });
});
