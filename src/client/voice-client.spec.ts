import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Namespace, type Socket } from 'socket.io';
import type { SessionReady } from '../protocol';
import { VoiceClient, VoiceError, type AudioChunk, type ConnectionState } from './index';

/**
 * The client against a real Socket.IO server in this process, scripted per test: what the service would answer,
 * and what it must never do (no ack, audio out of order) — the edges a real service does not show on demand.
 */
interface TinyServer {
  url: string;
  namespace: Namespace;
  /** Server-side sockets, in connection order. */
  sockets: Socket[];
  /** The handshake auth of each connection, in order. */
  auths: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function startServer(
  onConnection: (socket: Socket, server: TinyServer) => void = () => undefined,
  { ready = true }: { ready?: boolean } = {},
): Promise<TinyServer> {
  const http: HttpServer = createServer();
  const io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: TinyServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    namespace: io.of('/voice'),
    sockets: [],
    auths: [],
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
  server.namespace.on('connection', (socket) => {
    server.sockets.push(socket);
    const auth = socket.handshake.auth as Record<string, unknown>;
    server.auths.push(auth);
    onConnection(socket, server);
    if (ready) {
      const resumed = typeof auth.sessionId === 'string';
      socket.emit('session.ready', { sessionId: resumed ? auth.sessionId : 'session-1', resumed });
    }
  });
  return server;
}

/** Resolves when `predicate` holds, checking after each turn of I/O (bounded by Jest's test timeout). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

const ack = (bytes: number, requestId = 'r1') => ({
  ok: true as const,
  requestId,
  tier: 'warm' as const,
  firstByteMs: 1.5,
  totalMs: 3,
  bytes,
});

describe('VoiceClient against a Socket.IO server', () => {
  let server: TinyServer | undefined;
  const clients: VoiceClient[] = [];
  const track = (client: VoiceClient): VoiceClient => {
    clients.push(client);
    return client;
  };
  const connect = async (options: Partial<Parameters<typeof VoiceClient.connect>[0]> = {}) =>
    track(await VoiceClient.connect({ url: server!.url, ...options }));

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
    jest.useRealTimers();
  });

  describe('connecting', () => {
    it('sends the token, a session id to resume and a trace context, and resolves at session.ready', async () => {
      server = await startServer();
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const client = await connect({ token: 'key-1', sessionId: 'earlier', traceContext: { traceparent } });
      expect(server.auths).toEqual([{ token: 'key-1', sessionId: 'earlier', traceparent }]);
      expect(await client.ready()).toEqual({ sessionId: 'earlier', resumed: true });
      expect(client.sessionId).toBe('earlier');
      expect(client.state).toBe('connected');
    });

    it('asks a token function on every connect', async () => {
      server = await startServer();
      let key = 'first';
      const client = await connect({ token: () => key });
      key = 'second';
      client.reconnect();
      await until(() => server!.auths.length === 2);
      expect(server.auths).toEqual([{ token: 'first' }, { token: 'second', sessionId: 'session-1' }]);
      expect(await client.ready()).toEqual({ sessionId: 'session-1', resumed: true });
    });

    it('rejects a refused handshake with the server’s code, message and retryable', async () => {
      server = await startServer();
      server.namespace.use((_socket, next) => {
        const refusal = Object.assign(new Error('UNAUTHORIZED'), {
          data: { code: 'UNAUTHORIZED', message: 'wrong key', retryable: false },
        });
        next(refusal);
      });
      const refused = VoiceClient.connect({ url: server.url, token: 'wrong' });
      await expect(refused).rejects.toBeInstanceOf(VoiceError);
      await expect(refused).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'wrong key',
        retryable: false,
      });
    });

    it('rejects with CONNECT_FAILED when nothing listens', async () => {
      server = await startServer();
      const url = server.url;
      await server.close();
      server = undefined;
      await expect(VoiceClient.connect({ url })).rejects.toMatchObject({
        code: 'CONNECT_FAILED',
        retryable: true,
      });
    });

    it('reconnects after a dropped connection and resumes its session', async () => {
      server = await startServer();
      const client = await connect({
        reconnect: true,
        socketOptions: { reconnectionDelay: 10, reconnectionDelayMax: 10 },
      });
      const states: ConnectionState[] = [];
      const sessions: SessionReady[] = [];
      client.on('state', (state) => states.push(state));
      client.on('ready', (session) => sessions.push(session));
      server.sockets[0].conn.close(); // the transport dies, as a network cut does
      await until(() => sessions.length === 1);
      expect(states).toEqual(['reconnecting', 'connected']);
      expect(sessions).toEqual([{ sessionId: 'session-1', resumed: true }]);
      expect(server.auths[1]).toEqual({ sessionId: 'session-1' });
    });

    it('reports a takeover and does not come back', async () => {
      server = await startServer();
      const client = await connect({ reconnect: true });
      const displaced = new Promise((resolve) => client.on('displaced', resolve));
      const message = { code: 'SESSION_TAKEN_OVER', message: 'another connection resumed this session' };
      server.sockets[0].emit('session.displaced', message);
      server.sockets[0].disconnect(true);
      expect(await displaced).toEqual(message);
      await until(() => client.state === 'disconnected');
      await expect(client.ready()).rejects.toMatchObject({ code: 'DISCONNECTED' });
      expect(client.socket.active).toBe(false); // Socket.IO schedules no reconnect
      expect(server.sockets).toHaveLength(1);
    });

    it('follows session.moving: new requests go to a new connection, the old one still answers its own', async () => {
      const held: Array<() => void> = [];
      server = await startServer((socket) => {
        socket.on('tts.synthesize', (payload: { requestId: string }, answer: (a: unknown) => void) => {
          const reply = () => answer(ack(0, payload.requestId));
          if (payload.requestId === 'before') held.push(reply);
          else reply();
        });
      });
      const client = await connect();
      const before = client.synthesize({ text: 'sent before the move', requestId: 'before' });
      await until(() => held.length === 1);
      const resumed = new Promise<SessionReady>((resolve) => client.on('ready', resolve));
      server.sockets[0].emit('session.moving', { sessionId: 'session-1' });
      expect(await resumed).toEqual({ sessionId: 'session-1', resumed: true });
      expect(server.auths[1]).toEqual({ sessionId: 'session-1' });

      const after = client.synthesize({ text: 'sent after the move', requestId: 'after' });
      await expect(after).resolves.toMatchObject({ requestId: 'after' });
      held[0]();
      await expect(before).resolves.toMatchObject({ requestId: 'before' });
      expect(client.socket.id).toBe(server.sockets[1].id);
    });
  });

  describe('tts.synthesize', () => {
    const speaking = (chunks: Buffer[], answer: (requestId: string, bytes: number) => unknown) => {
      return (socket: Socket) =>
        socket.on('tts.synthesize', (payload: { requestId: string }, reply: (a: unknown) => void) => {
          chunks.forEach((audio, seq) =>
            socket.emit('tts.audio', { requestId: payload.requestId, seq, audio }),
          );
          reply(
            answer(
              payload.requestId,
              chunks.reduce((n, c) => n + c.length, 0),
            ),
          );
        });
    };

    it('hands the audio on in order as Uint8Arrays and resolves with the ack as sent', async () => {
      const chunks = [Buffer.from([1, 2]), Buffer.from([3, 4, 5, 6]), Buffer.from([7, 8])];
      server = await startServer(speaking(chunks, (requestId, bytes) => ack(bytes, requestId)));
      const client = await connect();
      const received: AudioChunk[] = [];
      const result = await client.synthesize(
        { text: 'hello', requestId: 'r1' },
        { onAudio: (chunk) => received.push(chunk) },
      );
      expect(result).toEqual(ack(8));
      expect(received.map((c) => [c.requestId, c.seq, [...c.audio]])).toEqual([
        ['r1', 0, [1, 2]],
        ['r1', 1, [3, 4, 5, 6]],
        ['r1', 2, [7, 8]],
      ]);
      expect(received.every((c) => c.audio instanceof Uint8Array)).toBe(true);
    });

    it('makes up a request id when the payload has none', async () => {
      const payloads: unknown[] = [];
      server = await startServer((socket) =>
        socket.on('tts.synthesize', (payload: { requestId: string }, reply: (a: unknown) => void) => {
          payloads.push(payload);
          reply(ack(0, payload.requestId));
        }),
      );
      const client = await connect();
      const first = await client.synthesize({ text: 'one' });
      const second = await client.synthesize({ text: 'two' });
      expect(payloads).toEqual([
        { text: 'one', requestId: first.requestId },
        { text: 'two', requestId: second.requestId },
      ]);
      expect(first.requestId).toMatch(/^tts-\w+-1$/);
      expect(second.requestId).not.toBe(first.requestId);
    });

    it('yields the chunks through an async iterator, the ack as its result', async () => {
      const chunks = [Buffer.from([1, 0]), Buffer.from([2, 0])];
      server = await startServer(speaking(chunks, (requestId, bytes) => ack(bytes, requestId)));
      const client = await connect();
      const stream = client.stream({ text: 'hello' });
      const seqs: number[] = [];
      for await (const chunk of stream) seqs.push(chunk.seq);
      expect(seqs).toEqual([0, 1]);
      expect(await stream.result).toMatchObject({ ok: true, requestId: stream.requestId, bytes: 4 });
    });

    it('rejects a failed ack as a VoiceError with its code, message, retryable and request id', async () => {
      server = await startServer((socket) =>
        socket.on('tts.synthesize', (_payload: unknown, reply: (a: unknown) => void) =>
          reply({
            ok: false,
            error: { code: 'POOL_EXHAUSTED', message: 'every client is busy', retryable: true },
          }),
        ),
      );
      const client = await connect();
      const failure = client.synthesize({ text: 'hi', requestId: 'busy' });
      await expect(failure).rejects.toBeInstanceOf(VoiceError);
      await expect(failure).rejects.toMatchObject({
        name: 'VoiceError',
        code: 'POOL_EXHAUSTED',
        message: 'every client is busy',
        retryable: true,
        requestId: 'busy',
      });
    });

    it('fails with PROTOCOL when chunks arrive out of order or the ack counts other bytes', async () => {
      server = await startServer((socket) =>
        socket.on('tts.synthesize', (payload: { requestId: string }, reply: (a: unknown) => void) => {
          const { requestId } = payload;
          if (requestId === 'disorder') {
            socket.emit('tts.audio', { requestId, seq: 1, audio: Buffer.alloc(2) });
            socket.emit('tts.audio', { requestId, seq: 0, audio: Buffer.alloc(2) });
            reply(ack(4, requestId));
          } else {
            socket.emit('tts.audio', { requestId, seq: 0, audio: Buffer.alloc(2) });
            reply(ack(6, requestId));
          }
        }),
      );
      const client = await connect();
      await expect(client.synthesize({ text: 'a', requestId: 'disorder' })).rejects.toMatchObject({
        code: 'PROTOCOL',
        message: 'audio chunk 1 arrived where 0 was due',
      });
      await expect(client.synthesize({ text: 'b', requestId: 'short' })).rejects.toMatchObject({
        code: 'PROTOCOL',
        message: 'received 2 bytes of audio, the ack counts 6',
      });
    });

    it('fails with ACK_TIMEOUT when the server never answers, exactly at the timeout', async () => {
      // Socket.IO takes its timer functions when the client is made: fake them first (I/O still runs for real).
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      let asked = false;
      server = await startServer((socket) => socket.on('tts.synthesize', () => (asked = true)));
      const client = await connect({ ackTimeoutMs: 5_000 });
      let outcome: unknown = null;
      client.synthesize({ text: 'hello?', requestId: 'lost' }).catch((error: unknown) => (outcome = error));
      await until(() => asked);
      await jest.advanceTimersByTimeAsync(4_999);
      expect(outcome).toBeNull();
      await jest.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(VoiceError);
      expect(outcome).toMatchObject({
        code: 'ACK_TIMEOUT',
        message: 'no answer to tts.synthesize within 5000 ms',
        retryable: true,
        requestId: 'lost',
      });
    });

    it('fails with DISCONNECTED when the connection closes before the ack', async () => {
      server = await startServer((socket) => socket.on('tts.synthesize', () => socket.disconnect(true)));
      const client = await connect();
      await expect(client.synthesize({ text: 'hi' })).rejects.toMatchObject({
        code: 'DISCONNECTED',
        retryable: true,
      });
    });

    it('sends tts.cancel when the signal aborts, and when an iterating loop is left early', async () => {
      const cancels: unknown[] = [];
      const running = new Map<string, (a: unknown) => void>();
      server = await startServer((socket) => {
        socket.on('tts.synthesize', (payload: { requestId: string }, reply: (a: unknown) => void) => {
          socket.emit('tts.audio', { requestId: payload.requestId, seq: 0, audio: Buffer.alloc(2) });
          running.set(payload.requestId, reply);
        });
        socket.on('tts.cancel', (payload: { requestId: string }, reply: (a: unknown) => void) => {
          cancels.push(payload);
          reply({ ok: true });
          running.get(payload.requestId)?.({ ...ack(2, payload.requestId), canceled: true });
        });
      });
      const client = await connect();
      const abort = new AbortController();
      const synthesis = client.synthesize(
        { text: 'long', requestId: 'aborted' },
        { signal: abort.signal, onAudio: () => abort.abort() },
      );
      await expect(synthesis).resolves.toMatchObject({ requestId: 'aborted', canceled: true, bytes: 2 });

      const stream = client.stream({ text: 'long', requestId: 'left' });
      for await (const chunk of stream) {
        expect(chunk.seq).toBe(0);
        break;
      }
      await expect(stream.result).resolves.toMatchObject({ requestId: 'left', canceled: true });
      expect(cancels).toEqual([{ requestId: 'aborted' }, { requestId: 'left' }]);
    });

    it('tts.cancel resolves with its ack, or rejects with the failure', async () => {
      server = await startServer((socket) =>
        socket.on('tts.cancel', (payload: { requestId: string }, reply: (a: unknown) => void) =>
          reply(
            payload.requestId === 'ok'
              ? { ok: true }
              : {
                  ok: false,
                  error: { code: 'BAD_REQUEST', message: 'requestId: too long', retryable: false },
                },
          ),
        ),
      );
      const client = await connect();
      expect(await client.cancel('ok')).toEqual({ ok: true });
      await expect(client.cancel('x'.repeat(65))).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        retryable: false,
      });
    });
  });

  describe('recognition', () => {
    it('starts, streams frames, routes its own partials, finals and errors, and stops', async () => {
      const frames: number[][] = [];
      server = await startServer((socket) => {
        socket.on('stt.start', (payload: { requestId: string }, reply: (a: unknown) => void) =>
          reply({ ok: true, requestId: payload.requestId, tier: 'warm' }),
        );
        socket.on('stt.audio', (frame: Buffer) => frames.push([...frame]));
        socket.on('stt.stop', (payload: { requestId: string }, reply: (a: unknown) => void) => {
          const { requestId } = payload;
          socket.emit('stt.partial', { requestId: 'someone-else', text: 'not mine', offsetMs: 0 });
          socket.emit('stt.partial', { requestId, text: 'hello', offsetMs: 0 });
          socket.emit('error', { code: 'BAD_REQUEST', message: 'odd frame length', requestId });
          socket.emit('error', { code: 'RATE_LIMITED', message: 'slow down' });
          socket.emit('stt.final', { requestId, text: 'hello world', offsetMs: 0, durationMs: 900 });
          reply({ ok: true, finals: 1 });
        });
      });
      const client = await connect();
      const seen: string[] = [];
      const unclaimed: unknown[] = [];
      client.on('error', (event) => unclaimed.push(event));
      const recognition = client.recognize(
        { sampleRate: 16_000, requestId: 'listen-1' },
        {
          onPartial: (p) => seen.push(`partial ${p.text}`),
          onFinal: (f) => seen.push(`final ${f.text}`),
          onError: (e) => seen.push(`error ${e.code}`),
        },
      );
      recognition.send(new Uint8Array([1, 2]));
      recognition.send(new Uint8Array([3, 4]).buffer);
      expect(await recognition.started).toEqual({ ok: true, requestId: 'listen-1', tier: 'warm' });
      expect(await recognition.stop()).toEqual({ ok: true, finals: 1 });
      expect(frames).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(seen).toEqual(['partial hello', 'error BAD_REQUEST', 'final hello world']);
      expect(recognition.finals).toEqual([
        { requestId: 'listen-1', text: 'hello world', offsetMs: 0, durationMs: 900 },
      ]);
      expect(unclaimed).toEqual([{ code: 'RATE_LIMITED', message: 'slow down' }]);
    });

    it('rejects a refused start through `started`', async () => {
      server = await startServer((socket) =>
        socket.on('stt.start', (_payload: unknown, reply: (a: unknown) => void) =>
          reply({ ok: false, error: { code: 'BAD_REQUEST', message: 'one at a time', retryable: false } }),
        ),
      );
      const client = await connect();
      await expect(client.recognize().started).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });
  });
});
