import type { HttpApp } from './http-app';
import type { Tracing } from '../../../src/tracing/tracing';
import { testTracingModule } from './test-tracing-module';
import { emulatorSpeechModules, TestMetricsRegistryModule } from './speech-modules';
import { testAccessModule } from './test-access-module';
import type { AccessModuleOptions } from '../../../src/access/access.module';
import type { Registry } from 'prom-client';
import type { DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { io, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import {
  VoiceClient,
  VoiceError,
  type AudioChunk,
  type SynthesisResult,
  type VoiceClientOptions,
  type VoiceSocket,
} from '../../../src/client';
import type {
  ErrorEvent,
  SttFinal,
  SttPartial,
  SttStartedAck,
  SttStoppedAck,
  TtsSynthesizePayload,
} from '../../../src/protocol';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { LifecycleModule } from '../../../src/lifecycle/lifecycle.module';
import { ShutdownState } from '../../../src/lifecycle/shutdown-state';
import { WorkTracker } from '../../../src/lifecycle/work-tracker';
import { METRICS_REGISTRY } from '../../../src/metrics/metrics-registry';
import type { PoolsModuleOptions } from '../../../src/speech-pools/pools-module-options';
import { STT_POOL, TTS_POOL } from '../../../src/speech-pools/pool-tokens';
import type { ResourcePool } from '../../../src/pools';
import type { SttClient } from '../../../src/speech/stt-client';
import type { TtsClient } from '../../../src/speech/tts-client';
import { waitFor } from '../wait-for';
import { VoiceIoAdapter } from '../../../src/voice/voice-io.adapter';
import { VOICE_CLOCK, type VoiceModuleOptions } from '../../../src/voice/voice-options';
import type { Clock } from '../../../src/pools/clock';
import { VoiceModule } from '../../../src/voice/voice.module';
import { VoiceSessions } from '../../../src/voice/voice-sessions';

export { waitFor };

/** Generous: bounds a failure, not a speed (slow CI machines must not flake). */
export const ACK_TIMEOUT_MS = 20_000;

export interface VoiceAppOptions {
  pools?: Partial<PoolsModuleOptions>;
  /** `apiKeys`: VOICE_API_KEYS (AccessModule's, shared by every transport). */
  voice?: Partial<VoiceModuleOptions> & { apiKeys?: string[] };
  /** Per-key budgets; default: far out of the way. */
  access?: Partial<AccessModuleOptions>;
  /** An emulator shared by several apps; otherwise the app starts (and closes) its own. */
  emulator?: RunningEmulator;
  /** The app's Tracing (as TracingModule would provide it); default: none, so tracing is off. */
  tracing?: Tracing;
  /** The voice layer's clock (VOICE_CLOCK: session grace, recognition idle timers); default: the system's. */
  clock?: Clock;
}

export interface VoiceApp {
  app: HttpApp;
  emulator: RunningEmulator;
  /** `http://127.0.0.1:PORT` */
  url: string;
  tts: ResourcePool<TtsClient>;
  stt: ResourcePool<SttClient>;
  sessions: VoiceSessions;
  /** Every piece of speech work and pool release in flight. */
  work: WorkTracker;
  shutdown: ShutdownState;
  metrics: Registry;
  /** Every client made with `connect()` and socket made with `connectRaw()`; closed by `close()`. */
  clients: Array<VoiceClient | ClientSocket>;
  /** A client of the app's `/voice` (connecting: `await client.ready()`). */
  connect(options?: ClientOptions): VoiceClient;
  /** A bare Socket.IO connection, for handshakes no client would send (a non-string token, say). */
  connectRaw(auth?: Record<string, unknown>, options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  close(): Promise<void>;
}

/**
 * The gateway as users get it: a Nest app with the real UpstreamModule and SpeechPoolsModule (real SDK clients) against the speech
 * emulator over real sockets, real HTTP + Socket.IO through VoiceIoAdapter, listening on a free loopback port.
 */
export async function startVoiceApp(options: VoiceAppOptions = {}): Promise<VoiceApp> {
  const ownEmulator = options.emulator === undefined;
  const emulator = options.emulator ?? (await startEmulator({ port: 0, voice: 'synthetic' }));
  const { apiKeys = [], ...voice } = options.voice ?? {};
  const voiceOptions: VoiceModuleOptions = {
    corsOrigins: [],
    sessionResumeGraceMs: 15_000,
    drainTimeoutMs: 5_000,
    ...voice,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      LifecycleModule,
      TestMetricsRegistryModule,
      testAccessModule({ apiKeys, ...options.access }),
      ...(options.tracing === undefined ? [] : [testTracingModule(options.tracing)]),
      ...(options.clock === undefined ? [] : [voiceClockModule(options.clock)]),
      ...emulatorSpeechModules(emulator, options.pools),
      VoiceModule.forRoot(voiceOptions),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<HttpApp>({ logger: ['error', 'warn'] });
  app.useWebSocketAdapter(new VoiceIoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const clients: VoiceApp['clients'] = [];
  let closed = false;

  return {
    app,
    emulator,
    url,
    tts: app.get(TTS_POOL),
    stt: app.get(STT_POOL),
    sessions: app.get(VoiceSessions),
    work: app.get(WorkTracker),
    shutdown: app.get(ShutdownState),
    metrics: app.get(METRICS_REGISTRY),
    clients,
    connect(options = {}) {
      const client = newClient(url, options);
      clients.push(client);
      return client;
    },
    connectRaw(auth = {}, extra = {}) {
      const socket = io(`${url}/voice`, {
        auth,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: ACK_TIMEOUT_MS,
        ...extra,
      });
      clients.push(socket);
      return socket;
    },
    async close() {
      if (closed) return;
      closed = true;
      closeAll(clients);
      await app.close();
      if (ownEmulator) await emulator.close();
    },
  };
}

/** Provides VOICE_CLOCK to the voice module (global, as its @Optional injection looks for it there). */
function voiceClockModule(clock: Clock): DynamicModule {
  return {
    module: class VoiceClockModule {},
    global: true,
    providers: [{ provide: VOICE_CLOCK, useValue: clock }],
    exports: [VOICE_CLOCK],
  };
}

/** What the tests connect with: the client's options but the url (and bounded waits unless they say otherwise). */
export type ClientOptions = Omit<VoiceClientOptions, 'url'>;

/** A client of the `/voice` at `url`, with the tests' generous bounds on waits. */
export function newClient(url: string, options: ClientOptions = {}): VoiceClient {
  return new VoiceClient({ url, ackTimeoutMs: ACK_TIMEOUT_MS, connectTimeoutMs: ACK_TIMEOUT_MS, ...options });
}

/** Closes clients and sockets (and empties the list: a test's `afterEach`). */
export function closeAll(clients: Array<VoiceClient | ClientSocket>): void {
  for (const client of clients.splice(0)) {
    if (client instanceof VoiceClient) client.close();
    else client.disconnect();
  }
}

/** Resolves with the first `event` payload a socket receives (rejects after the deadline). */
export function once<T = unknown>(
  socket: ClientSocket | VoiceSocket,
  event: string,
  timeoutMs = ACK_TIMEOUT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    (socket as ClientSocket).once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** The VoiceError a client's connection was refused with (fails if it connects). */
export function refused(client: VoiceClient): Promise<VoiceError> {
  return client.ready().then(
    () => {
      throw new Error('connected, but a refusal was expected');
    },
    (error: unknown) => {
      if (error instanceof VoiceError) return error;
      throw error;
    },
  );
}

/** The connect_error a refused handshake of a bare socket produces. */
export function refusedSocket(socket: ClientSocket): Promise<Error & { data?: unknown }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
    socket.once('connect_error', resolve);
  });
}

/** The client's connection without the protocol's types: for payloads no client sends (malformed, hostile). */
export function untyped(client: VoiceClient): ClientSocket {
  return client.socket;
}

/** Emits on a bare socket with an ack and resolves with the answer (for payloads no client sends). */
export function request<T = Record<string, unknown>>(
  socket: ClientSocket | VoiceSocket,
  event: string,
  ...args: unknown[]
): Promise<T> {
  return (socket as ClientSocket).timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args) as Promise<T>;
}

/** Every `tts.audio` chunk the client's connection receives, by requestId, as it came off the wire. */
export function collectAudio(
  client: VoiceClient,
): Map<string, Array<{ requestId: string; seq: number; audio: Buffer }>> {
  const byRequest = new Map<string, Array<{ requestId: string; seq: number; audio: Buffer }>>();
  untyped(client).on('tts.audio', (chunk: { requestId: string; seq: number; audio: Buffer }) => {
    const list = byRequest.get(chunk.requestId) ?? [];
    list.push(chunk);
    byRequest.set(chunk.requestId, list);
  });
  return byRequest;
}

/** Every `error` event the client's connection receives, whatever it names. */
export function collectErrors(client: VoiceClient): ErrorEvent[] {
  const errors: ErrorEvent[] = [];
  client.socket.on('error', (event) => errors.push(event));
  return errors;
}

export interface Synthesis {
  ack: SynthesisResult;
  /** The audio, in order. */
  audio: Buffer;
  chunks: AudioChunk[];
}

/** Synthesizes through the client and returns the ack, the chunks and their audio (rejects with a VoiceError). */
export async function synthesize(client: VoiceClient, payload: TtsSynthesizePayload): Promise<Synthesis> {
  const chunks: AudioChunk[] = [];
  const ack = await client.synthesize(payload, { onAudio: (chunk) => chunks.push(chunk) });
  return { ack, audio: Buffer.concat(chunks.map((c) => c.audio)), chunks };
}

export interface Recognition {
  start: SttStartedAck;
  stop: SttStoppedAck;
  partials: SttPartial[];
  finals: SttFinal[];
  errors: ErrorEvent[];
}

/** stt.start, the audio in `frameBytes` frames, stt.stop; collects every result event on the way. */
export async function recognise(
  client: VoiceClient,
  audio: Uint8Array,
  start: Parameters<VoiceClient['recognize']>[0] = {},
  frameBytes = 3_200,
): Promise<Recognition> {
  const partials: SttPartial[] = [];
  const errors: ErrorEvent[] = [];
  const recognition = client.recognize(start, {
    onPartial: (event) => partials.push(event),
    onError: (event) => errors.push(event),
  });
  const started = await recognition.started.catch((error: unknown) => {
    recognition.dispose();
    throw error;
  });
  for (let i = 0; i < audio.length; i += frameBytes) recognition.send(audio.subarray(i, i + frameBytes));
  const stop = await recognition.stop();
  return { start: started, stop, partials, finals: [...recognition.finals], errors };
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
  await app.work.settled();
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
function tcpSocket(client: VoiceClient | ClientSocket): import('node:net').Socket {
  const socket = client instanceof VoiceClient ? client.socket : client;
  // engine.io-client keeps its transport and the ws socket out of its public types.
  const engine = socket.io.engine as unknown as {
    transport: { ws?: { _socket?: import('node:net').Socket } };
  };
  const tcp = engine.transport.ws?._socket;
  if (tcp === undefined) throw new Error('not connected over websocket');
  return tcp;
}

/** Kills the connection without a goodbye, as a crashed client or a cut network would. */
export function dropConnection(socket: VoiceClient | ClientSocket): void {
  tcpSocket(socket).destroy();
}

/** Stops reading from the server (a client that cannot keep up); returns a function that resumes. */
export function stopReading(socket: VoiceClient | ClientSocket): () => void {
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
