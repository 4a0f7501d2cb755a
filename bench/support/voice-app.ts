/**
 * Boots warmline for a benchmark exactly as main.ts does (AppModule from the environment with the voice gateway
 * and the HTTP speech API, configureApp, the voice IoAdapter), listening on a free loopback port, pointed at a
 * bench emulator through AZURE_SPEECH_HOST. The only addition: allocations are timed around each pool's acquireForSession.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { HttpApiModule } from '../../src/http-api/http-api.module';
import type { ResourcePool } from '../../src/pools';
import { STT_POOL, TTS_POOL } from '../../src/speech-pools/pool-tokens';
import type { SttClient } from '../../src/speech/stt-client';
import type { TtsClient } from '../../src/speech/tts-client';
import { VoiceIoAdapter } from '../../src/voice/voice-io.adapter';
import { VoiceModule } from '../../src/voice/voice.module';
import { VoiceSessions } from '../../src/voice/voice-sessions';
import { WorkTracker } from '../../src/lifecycle/work-tracker';

export interface AllocationSample {
  pool: string;
  tier: string;
  ms: number;
}

/**
 * Allocation latencies at sub-millisecond resolution, timed around each pool's acquireForSession (the gateway's
 * only way in) with performance.now(): the pool's own observer reports whole milliseconds (its clock is
 * Date.now()), which rounds every warm or dedicated hand-over to 0. Bounded: oldest samples dropped.
 */
export class AllocationRecorder {
  readonly samples: AllocationSample[] = [];
  constructor(private readonly limit = 200_000) {}
  record(sample: AllocationSample): void {
    if (this.samples.length >= this.limit) this.samples.shift();
    this.samples.push(sample);
  }
  clear(): void {
    this.samples.length = 0;
  }
}

export interface BenchAppOptions {
  /** The emulator's `ws://` URL. */
  speechHost: string;
  /** Environment variables (docs/configuration.md: pool sizes, grace...); applied before the app is built. */
  env?: Record<string, string>;
}

export interface BenchApp {
  app: INestApplication<Server>;
  /** `http://127.0.0.1:PORT` */
  url: string;
  tts: ResourcePool<TtsClient>;
  stt: ResourcePool<SttClient>;
  sessions: VoiceSessions;
  /** Every piece of speech work and pool release in flight. */
  work: WorkTracker;
  allocations: AllocationRecorder;
  close(): Promise<void>;
}

/** The variables every bench app gets unless it overrides them. */
export const BENCH_APP_ENV: Record<string, string> = {
  SPEECH_EMULATOR: 'off',
  AZURE_SPEECH_KEY: 'bench-key',
  PORT: '0',
  LOG_LEVEL: 'warn', // per-request info lines would be part of what we measure
  // Every bench client is the one loopback caller: per-key budgets would measure themselves, not the service.
  VOICE_REQUEST_RATE: '100000',
  VOICE_REQUEST_BURST: '100000',
  VOICE_MAX_CONCURRENT_PER_KEY: '100000',
  VOICE_MAX_SESSIONS_PER_KEY: '1000000',
};

export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  Object.assign(process.env, BENCH_APP_ENV, { AZURE_SPEECH_HOST: options.speechHost }, options.env);
  const allocations = new AllocationRecorder();
  const app = await NestFactory.create<INestApplication<Server>>(
    AppModule.forRoot({ features: [VoiceModule.fromAppConfig(), HttpApiModule.fromAppConfig()] }),
    {
      bufferLogs: true,
    },
  );
  configureApp(app);
  app.useWebSocketAdapter(new VoiceIoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const tts = app.get<ResourcePool<TtsClient>>(TTS_POOL);
  const stt = app.get<ResourcePool<SttClient>>(STT_POOL);
  timeAllocations(tts, 'tts', allocations);
  timeAllocations(stt, 'stt', allocations);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    tts,
    stt,
    sessions: app.get(VoiceSessions),
    work: app.get(WorkTracker),
    allocations,
    close: () => app.close(),
  };
}

/** Wraps the instance's acquireForSession so every allocation is timed (the pool itself is untouched). */
function timeAllocations<T>(pool: ResourcePool<T>, name: string, recorder: AllocationRecorder): void {
  const acquireForSession = pool.acquireForSession.bind(pool);
  pool.acquireForSession = async (sessionId, options) => {
    const started = performance.now();
    const allocation = await acquireForSession(sessionId, options);
    recorder.record({ pool: name, tier: allocation.tier, ms: performance.now() - started });
    return allocation;
  };
}

/** Waits until `check` holds (polling), or throws after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Both pools full: warm queues at target and nothing being created. */
export function poolsSettled(app: BenchApp): boolean {
  return [app.tts.snapshot(), app.stt.snapshot()].every((s) => s.ready && s.warmPoolSize >= s.warmPoolTarget);
}

/** Waits until every session has ended and its clients are back (wound down), and the warm queues are full. */
export async function settleBenchApp(app: BenchApp, timeoutMs: number): Promise<void> {
  await until(() => app.sessions.size === 0, timeoutMs, 'sessions ended');
  await app.work.settled();
  await until(
    () => app.tts.snapshot().inUse === 0 && app.stt.snapshot().inUse === 0 && poolsSettled(app),
    timeoutMs,
    'pools settled',
  );
}

/** The parts of a pool snapshot the process benches read. */
export interface PoolBooks {
  size: number;
  inUse: number;
  activeSessions: number;
  warmPoolSize: number;
  warmPoolTarget: number;
  metrics: { resourcesCreated: number; resourcesDestroyed: number; [key: string]: number };
}

/** The pools' books: created − destroyed = live, nothing in use, no session holding a client. */
export function booksProblems(name: string, s: PoolBooks): string[] {
  const problems: string[] = [];
  const live = s.metrics.resourcesCreated - s.metrics.resourcesDestroyed;
  if (live !== s.size) problems.push(`${name}: created - destroyed = ${live}, but size = ${s.size}`);
  if (s.inUse !== 0) problems.push(`${name}: ${s.inUse} still in use`);
  if (s.activeSessions !== 0) problems.push(`${name}: ${s.activeSessions} sessions still hold a client`);
  return problems;
}
