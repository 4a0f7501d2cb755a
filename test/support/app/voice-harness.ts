import type { HttpApp } from './http-app';
import type { Tracing } from '../../../src/tracing/tracing';
import { testTracingModule } from './test-tracing-module';
import { emulatorSpeechModules, TestMetricsRegistryModule } from './speech-modules';
import type { Registry } from 'prom-client';
import { Test } from '@nestjs/testing';
import { io, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { LifecycleModule } from '../../../src/lifecycle/lifecycle.module';
import { ShutdownState } from '../../../src/lifecycle/shutdown-state';
import { METRICS_REGISTRY } from '../../../src/metrics/metrics-registry';
import type { PoolsModuleOptions } from '../../../src/speech-pools/pools-module-options';
import { STT_POOL, TTS_POOL } from '../../../src/speech-pools/pool-tokens';
import type { ResourcePool } from '../../../src/pools';
import type { SttClient } from '../../../src/speech/stt-client';
import type { TtsClient } from '../../../src/speech/tts-client';
import { waitFor } from '../wait-for';
import { VoiceIoAdapter } from '../../../src/voice/voice-io.adapter';
import type { VoiceModuleOptions } from '../../../src/voice/voice-options';
import { VoiceModule } from '../../../src/voice/voice.module';
import { VoiceSessions } from '../../../src/voice/voice-sessions';

export { waitFor };

/** Generous: bounds a failure, not a speed (slow CI machines must not flake). */
export const ACK_TIMEOUT_MS = 20_000;

export interface VoiceAppOptions {
  pools?: Partial<PoolsModuleOptions>;
  voice?: Partial<VoiceModuleOptions>;
  /** An emulator shared by several apps; otherwise the app starts (and closes) its own. */
  emulator?: RunningEmulator;
  /** The app's Tracing (as TracingModule would provide it); default: none, so tracing is off. */
  tracing?: Tracing;
}

export interface VoiceApp {
  app: HttpApp;
  emulator: RunningEmulator;
  /** `http://127.0.0.1:PORT` */
  url: string;
  tts: ResourcePool<TtsClient>;
  stt: ResourcePool<SttClient>;
  sessions: VoiceSessions;
  shutdown: ShutdownState;
  metrics: Registry;
  /** Every client socket made with `connect()`; closed by `close()`. */
  clients: ClientSocket[];
  connect(auth?: Record<string, unknown>, options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  close(): Promise<void>;
}

/**
 * The gateway as users get it: a Nest app with the real UpstreamModule and SpeechPoolsModule (real SDK clients) against the speech
 * emulator over real sockets, real HTTP + Socket.IO through VoiceIoAdapter, listening on a free loopback port.
 */
export async function startVoiceApp(options: VoiceAppOptions = {}): Promise<VoiceApp> {
  const ownEmulator = options.emulator === undefined;
  const emulator = options.emulator ?? (await startEmulator({ port: 0, voice: 'synthetic' }));
  const voiceOptions: VoiceModuleOptions = {
    apiKeys: [],
    corsOrigins: [],
    sessionResumeGraceMs: 15_000,
    drainTimeoutMs: 5_000,
    ...options.voice,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      LifecycleModule,
      TestMetricsRegistryModule,
      ...(options.tracing === undefined ? [] : [testTracingModule(options.tracing)]),
      ...emulatorSpeechModules(emulator, options.pools),
      VoiceModule.forRoot(voiceOptions),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<HttpApp>({ logger: ['error', 'warn'] });
  app.useWebSocketAdapter(new VoiceIoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const clients: ClientSocket[] = [];
  let closed = false;

  return {
    app,
    emulator,
    url,
    tts: app.get(TTS_POOL),
    stt: app.get(STT_POOL),
    sessions: app.get(VoiceSessions),
    shutdown: app.get(ShutdownState),
    metrics: app.get(METRICS_REGISTRY),
    clients,
    connect(auth = {}, extra = {}) {
      const socket = io(`${url}/voice`, {
        auth,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: ACK_TIMEOUT_MS,
        ...extra,
      });
      readiness.set(socket, listenForReady(socket));
      clients.push(socket);
      return socket;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const client of clients) client.disconnect();
      await app.close();
      if (ownEmulator) await emulator.close();
    },
  };
}

/** Resolves with the first `event` payload (rejects after the deadline). */
export function once<T = unknown>(
  socket: ClientSocket,
  event: string,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export interface SessionReady {
  sessionId: string;
  resumed: boolean;
}

/** `session.ready` of each socket made by `connect()`, listened for from the start so none is missed. */
const readiness = new WeakMap<ClientSocket, Promise<SessionReady>>();

function listenForReady(socket: ClientSocket): Promise<SessionReady> {
  const promise = new Promise<SessionReady>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "session.ready" within ${ACK_TIMEOUT_MS} ms`)),
      ACK_TIMEOUT_MS,
    );
    socket.once('session.ready', (info: SessionReady) => {
      clearTimeout(timer);
      resolve(info);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // Callers that expect a refusal never await this one.
  promise.catch(() => undefined);
  return promise;
}

/** Waits for the socket's `session.ready` (the server's answer to a successful handshake). */
export function ready(socket: ClientSocket): Promise<SessionReady> {
  return readiness.get(socket) ?? listenForReady(socket);
}

/** The connect_error a refused handshake produces. */
export function refused(socket: ClientSocket): Promise<Error & { data?: unknown }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
    socket.once('connect_error', resolve);
  });
}

/** Emits with an ack and resolves with the answer. */
export function request<T = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  ...args: unknown[]
): Promise<T> {
  return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args) as Promise<T>;
}

export interface AudioChunk {
  requestId: string;
  seq: number;
  audio: Buffer;
}

/** Collects every `tts.audio` chunk the socket receives, by requestId. */
export function collectAudio(socket: ClientSocket): Map<string, AudioChunk[]> {
  const byRequest = new Map<string, AudioChunk[]>();
  socket.on('tts.audio', (chunk: AudioChunk) => {
    const list = byRequest.get(chunk.requestId) ?? [];
    list.push(chunk);
    byRequest.set(chunk.requestId, list);
  });
  return byRequest;
}

/** Synthesizes through the gateway and returns the ack and the concatenated audio. */
export async function synthesize(
  socket: ClientSocket,
  payload: Record<string, unknown>,
): Promise<{ ack: Record<string, unknown>; audio: Buffer; chunks: AudioChunk[] }> {
  const chunks: AudioChunk[] = [];
  const requestId = (payload.requestId as string | undefined) ?? `r-${Math.random().toString(36).slice(2)}`;
  const onAudio = (chunk: AudioChunk): void => {
    if (chunk.requestId === requestId) chunks.push(chunk);
  };
  socket.on('tts.audio', onAudio);
  try {
    const ack = await request(socket, 'tts.synthesize', { ...payload, requestId });
    return { ack, audio: Buffer.concat(chunks.map((c) => Buffer.from(c.audio))), chunks };
  } finally {
    socket.off('tts.audio', onAudio);
  }
}

export interface Recognition {
  start: Record<string, unknown>;
  stop: Record<string, unknown>;
  partials: Array<{ requestId: string; text: string; offsetMs: number }>;
  finals: Array<{ requestId: string; text: string; offsetMs: number; durationMs: number }>;
  errors: Array<{ code: string; message: string; requestId?: string }>;
}

/** stt.start, the audio in `frameBytes` frames, stt.stop; collects every result event on the way. */
export async function recognise(
  socket: ClientSocket,
  audio: Buffer,
  start: Record<string, unknown> = {},
  frameBytes = 3_200,
): Promise<Recognition> {
  const partials: Recognition['partials'] = [];
  const finals: Recognition['finals'] = [];
  const errors: Recognition['errors'] = [];
  const onPartial = (p: Recognition['partials'][number]): number => partials.push(p);
  const onFinal = (f: Recognition['finals'][number]): number => finals.push(f);
  const onError = (e: Recognition['errors'][number]): number => errors.push(e);
  socket.on('stt.partial', onPartial);
  socket.on('stt.final', onFinal);
  socket.on('error', onError);
  try {
    const started = await request(socket, 'stt.start', start);
    if (started.ok !== true) return { start: started, stop: {}, partials, finals, errors };
    for (let i = 0; i < audio.length; i += frameBytes)
      socket.emit('stt.audio', audio.subarray(i, i + frameBytes));
    const stopped = await request(socket, 'stt.stop', { requestId: started.requestId });
    return { start: started, stop: stopped, partials, finals, errors };
  } finally {
    socket.off('stt.partial', onPartial);
    socket.off('stt.final', onFinal);
    socket.off('error', onError);
  }
}

/** Lower-case words only: how recognised text is compared with what was spoken. */
export const words = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Waits until the pools' books balance and nothing is in use or pending: the warm stack holds at least its target
 * and at most its max (returned clients are kept warm up to it).
 */
export async function poolsSettled(app: VoiceApp): Promise<void> {
  await app.sessions.settled();
  for (const pool of [app.tts, app.stt] as Array<ResourcePool<unknown>>) {
    await waitFor(() => {
      const s = pool.snapshot();
      // Released clients may stay warm above the target (up to warmPoolMax) until maintenance trims them.
      return (
        s.inUse === 0 &&
        s.pendingAcquires === 0 &&
        s.warmPoolSize >= s.warmPoolTarget &&
        s.warmPoolSize <= s.warmPoolMax &&
        s.size === s.warmPoolSize
      );
    }, `${pool.name} pool settled`);
    const s = pool.snapshot();
    expect(s.metrics.resourcesCreated - s.metrics.resourcesDestroyed).toBe(s.size);
  }
}

/** The client's TCP socket under Socket.IO (websocket transport in Node: engine.io-client over `ws`). */
function tcpSocket(socket: ClientSocket): import('node:net').Socket {
  // engine.io-client keeps its transport and the ws socket out of its public types.
  const engine = socket.io.engine as unknown as {
    transport: { ws?: { _socket?: import('node:net').Socket } };
  };
  const tcp = engine.transport.ws?._socket;
  if (tcp === undefined) throw new Error('not connected over websocket');
  return tcp;
}

/** Kills the connection without a goodbye, as a crashed client or a cut network would. */
export function dropConnection(socket: ClientSocket): void {
  tcpSocket(socket).destroy();
}

/** Stops reading from the server (a client that cannot keep up); returns a function that resumes. */
export function stopReading(socket: ClientSocket): () => void {
  const tcp = tcpSocket(socket);
  tcp.pause();
  return () => tcp.resume();
}

/** The value of one labelled series in a Prometheus registry, 0 when absent. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  const match = values.find((v) =>
    Object.entries(labels).every(([k, val]) => String((v.labels as Record<string, unknown>)[k]) === val),
  );
  return match?.value ?? 0;
}

/** Polls a metric until `predicate` holds (state another component changes, with no event to await). */
export async function waitForMetric(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
  predicate: (value: number) => boolean,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(await metricValue(registry, name, labels))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} ${JSON.stringify(labels)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
