import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { ShutdownState } from '../src/lifecycle/shutdown-state';
import { waitFor } from './support/wait-for';
import { wavHeader } from '../src/speech/wav-header';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function post(url: string, init: RequestInit & { json?: unknown }): Promise<Answer> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    method: 'POST',
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    ...rest,
    headers: {
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(rest.headers as object),
    },
  });
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  const body = isJson ? ((await response.json()) as Record<string, unknown>) : {};
  if (!isJson) await response.arrayBuffer();
  return { status: response.status, headers: response.headers, body };
}

/** A problem document with this status and code, served as application/problem+json. */
function expectProblem(answer: Answer, status: number, code: string, detail?: RegExp): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: expect.objectContaining({
      type: expect.stringMatching(/^urn:warmline:error:/),
      title: expect.any(String),
      status,
      code,
      detail: detail === undefined ? expect.any(String) : expect.stringMatching(detail),
      retryable: expect.any(Boolean),
    }),
  });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (status === 429 || status === 503)
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

const LONG_TEXT = Array.from({ length: 20 }, (_, i) => `This is sentence ${i + 1}.`).join(' ');

describe('HTTP speech API errors (e2e)', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  describe('bad input', () => {
    let service: HttpSpeechApp;
    beforeAll(async () => {
      service = await startHttpSpeechApp({ emulator, http: { maxUploadBytes: 64 * 1024 } });
    });
    afterAll(() => service.close());

    it.each([
      ['empty text', { text: '  ' }, /text: must not be empty/],
      ['text and ssml', { text: 'a', ssml: '<speak/>' }, /exactly one of text and ssml/],
      ['a bad format', { text: 'a', format: 'ogg' }, /format/],
      ['an unknown field', { text: 'a', formt: 'wav-24k' }, /"formt" \(did you mean "format"\?\)/],
      ['text over 5,000 characters', { text: 'a'.repeat(5001) }, /at most 5000 characters/],
      ['malformed SSML', { ssml: '<speak><voice>' }, /not well-formed/],
      ['a control character', { text: 'bell \u0007' }, /text/],
    ])('%s: 400 BAD_REQUEST', async (_what, json, detail) => {
      expectProblem(await post(`${service.url}/api/v1/tts`, { json }), 400, 'BAD_REQUEST', detail);
    });

    it('a path no route serves: a 404 problem document, on any path', async () => {
      for (const path of ['/nope', '/api/v1/nope?x=1', '/v1/audio/nope']) {
        const response = await fetch(`${service.url}${path}`);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const answer = {
          status: response.status,
          headers: response.headers,
          body: (await response.json()) as Record<string, unknown>,
        };
        expectProblem(
          answer,
          404,
          'BAD_REQUEST',
          /no route GET \/\S*nope; the routes are listed at \/api\/docs/,
        );
      }
    });

    it('malformed JSON: 400, non-JSON: 415', async () => {
      const malformed = await post(`${service.url}/api/v1/tts`, {
        headers: { 'content-type': 'application/json' },
        body: '{"text": ',
      });
      expectProblem(malformed, 400, 'BAD_REQUEST');
      const plain = await post(`${service.url}/api/v1/tts`, {
        headers: { 'content-type': 'text/plain' },
        body: 'hi',
      });
      expectProblem(plain, 415, 'BAD_REQUEST', /application\/json/);
    });

    it("OpenAI speech: bad response_format and empty input are 400 with OpenAI's error member", async () => {
      const answer = await post(`${service.url}/v1/audio/speech`, {
        json: { model: 'tts-1', voice: 'alloy', input: 'hi', response_format: 'speex' },
      });
      expectProblem(answer, 400, 'BAD_REQUEST', /response_format: must be one of mp3, opus/);
      expect(answer.body.error).toMatchObject({
        message: expect.stringMatching(/response_format/),
        code: 'bad_request',
      });
    });

    it('an upload over HTTP_MAX_UPLOAD: 413, whether announced or streamed', async () => {
      const big = Buffer.concat([wavHeader(16_000), Buffer.alloc(100 * 1024)]);
      const announced = await post(`${service.url}/api/v1/stt`, {
        headers: { 'content-type': 'audio/wav' },
        body: big,
      });
      expectProblem(announced, 413, 'BAD_REQUEST', /HTTP_MAX_UPLOAD/);
      // No Content-Length: refused when the limit is crossed, with nothing beyond it held.
      const streamed = await post(`${service.url}/api/v1/stt`, {
        headers: { 'content-type': 'audio/wav' },
        body: new Blob([big]).stream(),
        duplex: 'half',
      });
      expectProblem(streamed, 413, 'BAD_REQUEST', /HTTP_MAX_UPLOAD/);
      await waitFor(() => service.stt.snapshot().inUse === 0, 'the recognizer back in the pool');
    });

    it('a malformed or unusable WAV: 400 naming the problem', async () => {
      const notWav = await post(`${service.url}/api/v1/stt`, {
        headers: { 'content-type': 'audio/wav' },
        body: Buffer.from('ID3\u0004 this is an mp3, not a wav'),
      });
      expectProblem(notWav, 400, 'BAD_REQUEST', /malformed WAV header: it does not start with RIFF/);
      const stereo = wavHeader(16_000);
      stereo.writeUInt16LE(2, 22);
      const answer = await post(`${service.url}/api/v1/stt`, {
        headers: { 'content-type': 'audio/wav' },
        body: Buffer.concat([stereo, Buffer.alloc(3200)]),
      });
      expectProblem(answer, 400, 'BAD_REQUEST', /mono/);
      const truncated = await post(`${service.url}/api/v1/stt`, {
        headers: { 'content-type': 'audio/wav' },
        body: wavHeader(16_000).subarray(0, 30),
      });
      expectProblem(truncated, 400, 'BAD_REQUEST', /ended inside the header/);
      expect(service.stt.snapshot().inUse).toBe(0);
    });

    it('an unsupported Content-Type or rate: 415 / 400', async () => {
      expectProblem(
        await post(`${service.url}/api/v1/stt`, {
          headers: { 'content-type': 'audio/ogg' },
          body: Buffer.alloc(10),
        }),
        415,
        'BAD_REQUEST',
      );
      expectProblem(
        await post(`${service.url}/api/v1/stt`, {
          headers: { 'content-type': 'audio/L16;rate=44100' },
          body: Buffer.alloc(10),
        }),
        400,
        'BAD_REQUEST',
        /44100/,
      );
    });

    it('no keys configured: a request forwarded from elsewhere is 401', async () => {
      const answer = await post(`${service.url}/api/v1/tts`, {
        headers: { 'x-forwarded-for': '203.0.113.7' },
        json: { text: 'hi' },
      });
      expectProblem(answer, 401, 'UNAUTHORIZED', /loopback/);
    });

    it('once shutdown has begun: 503 SHUTTING_DOWN with Retry-After', async () => {
      service.app.get(ShutdownState).begin('test');
      expectProblem(await post(`${service.url}/api/v1/tts`, { json: { text: 'hi' } }), 503, 'SHUTTING_DOWN');
    });
  });

  describe('keys and rate', () => {
    let service: HttpSpeechApp;
    beforeAll(async () => {
      service = await startHttpSpeechApp({
        emulator,
        http: { apiKeys: ['key-one', 'key-two'] },
        access: { requestsPerSecond: 0.2, requestBurst: 2 },
      });
    });
    afterAll(() => service.close());

    const tts = (key?: string) =>
      post(`${service.url}/api/v1/tts`, {
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
        json: { text: 'Hi.', format: 'pcm-16k' },
      });

    it('a missing or wrong key: 401; a right one: 200', async () => {
      expectProblem(await tts(), 401, 'UNAUTHORIZED', /missing Authorization/);
      expectProblem(await tts('key-three'), 401, 'UNAUTHORIZED', /not valid/);
      expect((await tts('key-one')).status).toBe(200);
    });

    it('past the per-key burst: 429 RATE_LIMITED with Retry-After; another key has its own budget', async () => {
      expect((await tts('key-one')).status).toBe(200); // the second of key-one's burst of 2
      const limited = await tts('key-one');
      expectProblem(limited, 429, 'RATE_LIMITED', /requests per second/);
      expect(limited.body.retryable).toBe(true);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
      expect((await tts('key-two')).status).toBe(200);
    });
  });

  describe('pool and upstream', () => {
    it('the only synthesizer busy past the acquire timeout: 503 POOL_EXHAUSTED with Retry-After', async () => {
      const service = await startHttpSpeechApp({
        emulator,
        pools: { tts: { warmSize: 1, maxSize: 1, voice: 'en-US-JennyNeural' }, acquireTimeoutMs: 300 },
      });
      try {
        emulator.setFaults({ realtimeFactor: 1 });
        const holder = new AbortController();
        const busy = await fetch(`${service.url}/api/v1/tts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: LONG_TEXT }),
          signal: holder.signal,
        });
        expect(busy.status).toBe(200);
        const answer = await post(`${service.url}/api/v1/tts`, { json: { text: 'Me too.' } });
        expectProblem(answer, 503, 'POOL_EXHAUSTED');
        expect(answer.body.retryable).toBe(true);
        holder.abort();
        await waitFor(() => service.tts.snapshot().inUse === 0, 'the synthesizer back in the pool');
      } finally {
        await service.close();
      }
    });

    describe('a pool without warm clients', () => {
      let service: HttpSpeechApp;
      beforeAll(async () => {
        service = await startHttpSpeechApp({
          emulator,
          pools: { tts: { warmSize: 0, maxSize: 4, voice: 'en-US-JennyNeural' }, synthesisTimeoutMs: 1_000 },
        });
      });
      afterAll(() => service.close());

      it('the upstream refusing with 429: 502 UPSTREAM_THROTTLED, retryable', async () => {
        emulator.setFaults({ rejectNext: 1, rejectStatus: 429 });
        const answer = await post(`${service.url}/api/v1/tts`, { json: { text: 'Hello.' } });
        expectProblem(answer, 502, 'UPSTREAM_THROTTLED');
        expect(answer.body.retryable).toBe(true);
        expect(answer.headers.get('x-should-retry')).toBe('true');
      });

      it('an upstream that stops making progress: 504 TIMEOUT', async () => {
        emulator.setFaults({ firstByteLatencyMs: 5_000 });
        expectProblem(await post(`${service.url}/api/v1/tts`, { json: { text: 'Hello.' } }), 504, 'TIMEOUT');
      });

      it('a voice the upstream does not have: 400 naming it', async () => {
        const answer = await post(`${service.url}/api/v1/tts`, {
          json: { text: 'Hello.', voice: 'xx-XX-NobodyNeural' },
        });
        expectProblem(answer, 400, 'BAD_REQUEST', /xx-XX-NobodyNeural/);
      });

      afterEach(async () => {
        await waitFor(() => service.tts.snapshot().inUse === 0, 'no synthesizer left out');
        const { metrics, size } = service.tts.snapshot();
        expect(metrics.resourcesCreated - metrics.resourcesDestroyed).toBe(size);
      });
    });
  });
});
