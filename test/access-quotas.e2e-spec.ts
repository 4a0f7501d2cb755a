import { expect } from '@jest/globals';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import request from 'supertest';
import type { VoiceClient } from '../src/client';
import type { Access } from '../src/access/access';
import { ACCESS } from '../src/access/access.module';
import { VoiceAuthenticator } from '../src/access/api-key-auth';
import { ACK_TIMEOUT_MS, closeAll, newClient, refused, waitFor } from './support/app/voice-harness';
import { startWebApp, type WebApp } from './support/web/web-app';

jest.setTimeout(90_000);

const KEY_A = 'key-alpha-0123456789';
const KEY_B = 'key-bravo-0123456789';

/** The caller (principal) a key stands for, as the service names it. */
function callerOf(key: string): string {
  const result = new VoiceAuthenticator([key]).authenticate({
    auth: { token: key },
    address: '::1',
    headers: {},
  });
  if (!result.ok) throw new Error('the key did not authenticate');
  return result.principal;
}

/** An /api/v1/stt upload that has sent its headers and some audio, and waits for `finish()`. */
function startUpload(url: string, key: string): { finish(): Promise<number> } {
  const req = httpRequest(`${url}/api/v1/stt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'audio/L16;rate=16000' },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve).on('error', reject);
  });
  req.write(Buffer.alloc(3_200));
  return {
    async finish() {
      req.end(Buffer.alloc(3_200));
      const response = await answered;
      response.resume();
      return response.statusCode ?? 0;
    },
  };
}

/** The connect_error of a bare socket on `namespace` (fails if it connects). */
function connectError(url: string, namespace: string, auth: object): Promise<Error & { data?: unknown }> {
  const socket: ClientSocket = io(`${url}${namespace}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: ACK_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error(`connected to ${namespace}, but a refusal was expected`));
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.disconnect();
      resolve(error);
    });
  });
}

describe('per-key quotas over every transport (e2e, the service as main.ts composes it)', () => {
  let service: WebApp;
  let access: Access;
  const clients: VoiceClient[] = [];
  const connect = (token: string): VoiceClient => {
    const client = newClient(service.url, { token });
    clients.push(client);
    return client;
  };
  const tts = (key: string) =>
    request(service.url)
      .post('/api/v1/tts')
      .auth(key, { type: 'bearer' })
      .send({ text: 'Hi.', format: 'pcm-16k' });

  beforeAll(async () => {
    service = await startWebApp({
      VOICE_API_KEYS: `${KEY_A},${KEY_B}`,
      VOICE_MAX_CONCURRENT_PER_KEY: '2',
      VOICE_MAX_SESSIONS_PER_KEY: '3',
    });
    access = service.app.get<Access>(ACCESS);
  });
  afterEach(async () => {
    closeAll(clients);
    await waitFor(() => access.quotas.openSessions(callerOf(KEY_A)) === 0, 'sessions closed');
    await waitFor(() => access.quotas.workInProgress(callerOf(KEY_A)) === 0, 'work ended');
  });
  afterAll(() => service.close());

  it('caps syntheses and recognitions in flight per key, Socket.IO and HTTP together; other keys are served', async () => {
    const a = connect(KEY_A);
    await a.ready();
    const recognition = a.recognize();
    expect(await recognition.started).toMatchObject({ ok: true });
    // An upload holds its slot from the start of the request, before its audio has ended.
    const upload = startUpload(service.url, KEY_A);
    await waitFor(() => access.quotas.workInProgress(callerOf(KEY_A)) === 2, 'both slots taken');

    const refusedHttp = await tts(KEY_A).expect(429);
    expect(refusedHttp.body).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect((refusedHttp.body as { detail: string }).detail).toContain('VOICE_MAX_CONCURRENT_PER_KEY');
    expect(Number(refusedHttp.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const second = connect(KEY_A);
    await second.ready();
    await expect(second.synthesize({ text: 'one too many' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('VOICE_MAX_CONCURRENT_PER_KEY'),
      retryable: true,
    });
    await expect(second.recognize().started).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await tts(KEY_B).expect(200);

    // Slots come back when the work ends, however it ends.
    expect(await upload.finish()).toBe(200);
    await recognition.stop();
    await waitFor(() => access.quotas.workInProgress(callerOf(KEY_A)) === 0, 'slots released');
    await tts(KEY_A).expect(200);
    expect((await second.synthesize({ text: 'room again' })).ok).toBe(true);
  });

  it('caps open connections per key in the handshake (RATE_LIMITED); a closed one makes room', async () => {
    const open = [connect(KEY_A), connect(KEY_A), connect(KEY_A)];
    await Promise.all(open.map((client) => client.ready()));
    expect(await refused(connect(KEY_A))).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('VOICE_MAX_SESSIONS_PER_KEY'),
      retryable: true,
    });
    await connect(KEY_B).ready();
    open[0].close();
    await waitFor(() => access.quotas.openSessions(callerOf(KEY_A)) === 2, 'a session closed');
    await connect(KEY_A).ready();
  });

  it('refuses every connection to the main namespace: UNAUTHORIZED without a key, and nothing to serve with one', async () => {
    expect(await connectError(service.url, '/', {})).toMatchObject({
      message: 'UNAUTHORIZED',
      data: { code: 'UNAUTHORIZED', retryable: false },
    });
    expect(await connectError(service.url, '/', { token: KEY_A })).toMatchObject({
      message: 'BAD_REQUEST',
      data: { code: 'BAD_REQUEST', message: expect.stringContaining('/voice') },
    });
  });
});

describe('one request budget per key, over its connections and HTTP (e2e)', () => {
  let service: WebApp;
  const clients: VoiceClient[] = [];

  beforeAll(async () => {
    service = await startWebApp({
      VOICE_API_KEYS: `${KEY_A},${KEY_B}`,
      VOICE_REQUEST_BURST: '4',
      VOICE_REQUEST_RATE: '0.001',
    });
  });
  afterAll(async () => {
    closeAll(clients);
    await service.close();
  });

  it('a new connection or the HTTP API buys a key no more requests', async () => {
    const first = newClient(service.url, { token: KEY_A });
    const second = newClient(service.url, { token: KEY_A });
    clients.push(first, second);
    await Promise.all([first.ready(), second.ready()]);
    await first.cancel('nothing-1');
    await first.cancel('nothing-2');
    await second.cancel('nothing-3');
    const voices = () => request(service.url).get('/api/v1/voices');
    await voices().auth(KEY_A, { type: 'bearer' }).expect(200); // the 4th
    const limited = await voices().auth(KEY_A, { type: 'bearer' }).expect(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect((limited.body as { detail: string }).detail).toContain('for this API key');
    await expect(second.cancel('nothing-4')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await voices().auth(KEY_B, { type: 'bearer' }).expect(200);
  });
});
