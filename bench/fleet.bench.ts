/**
 * Fleet mode: 3 replicas sharing one upstream budget through Redis vs the same 3 replicas splitting it statically.
 *   (a) fleet: REDIS_URL set, SPEECH_FLEET_TTS_MAX_SIZE=12 (replicas may each grow to the whole budget);
 *   (b) no Redis: SPEECH_POOL_TTS_MAX_SIZE=4 per replica (12 in all, the same budget cut in three).
 * The emulator refuses upgrades beyond 12 open connections with 429 and charges 200 ms per new connection. 100
 * sessions make 3 syntheses each, all at once, under two loads: even (round-robin over the replicas) and skewed
 * (80 % of the sessions on the first replica, 10 % on each of the others: what a sticky load balancer or one busy
 * tenant produces, and the case a shared budget exists for). Reported side by side: throughput, 429s, upstream
 * connections opened per session, the replicas' CPU per request, and the allocation latency by tier on the
 * replicas: a lease is one Redis round
 * trip on a COLD creation, and WARM/DEDICATED hand-outs take none.
 * Each variant runs FLEET_ROUNDS times (default 5), which of the two runs first alternating; the median round
 * is reported.
 * FLEET_TRACE=1 also prints each replica's TTS clients (in use / live) every 250 ms of each run.
 * Also timed directly: one lease take + give against the same Redis (what a COLD creation adds in fleet mode).
 *
 *   npm run bench -- fleet
 *
 * Emulator, Redis and each replica: child processes. Socket.IO clients: this process.
 */
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerProcess } from '../src/fleet/local-fleet/redis-server-process';
import { LeaseLedger } from '../src/fleet/leases/lease-ledger';
import { FleetKeys } from '../src/fleet/redis/fleet-keys';
import { startBenchEmulator, type BenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import { startServerProcess, type ServerProcess } from './support/server-process';
import { round, roundSummary, summarize, type Summary } from './support/stats';
import { VoiceClient } from '../src/client';
import { timedSynthesis } from './support/timed-voice';

const REPLICAS = 3;
const BUDGET = 12;
const SESSIONS = 100;
const REQUESTS_PER_SESSION = 3;
const CONNECT_LATENCY_MS = 200;
const FIRST_BYTE_LATENCY_MS = 100;
const LEASE_SAMPLES = 2_000;
const TARGET_LEASE_P99_MS = 2;
const TEXT = 'Your table is booked.';
/** Each variant runs this often, fleet and split alternating; the run with the median throughput is reported. */
const ROUNDS = Number(process.env.FLEET_ROUNDS ?? 5);

interface Outcome {
  label: string;
  completed: number;
  failedBy: Record<string, number>;
  upstream429: number;
  connectionsOpened: number;
  seconds: number;
  throughput: number;
  /** The replicas' CPU time per served request, ms (all three together). */
  cpuMsPerRequest: number;
  /** Per pool/tier: the worst replica's p50 and p99, and all allocations counted, ms. */
  allocations: Record<string, { p50: number; p99: number; n: number }>;
}

const COMMON_ENV: Record<string, string> = {
  SPEECH_POOL_WARM_SIZE: '2',
  // Recognition plays no part here: no STT connections count against the upstream's limit.
  SPEECH_POOL_STT_WARM_SIZE: '0',
  SPEECH_POOL_ACQUIRE_TIMEOUT: '30',
};

async function startReplicas(emulator: BenchEmulator, env: Record<string, string>): Promise<ServerProcess[]> {
  const replicas: ServerProcess[] = [];
  for (let i = 0; i < REPLICAS; i++) {
    replicas.push(
      await startServerProcess({
        speechHost: emulator.url,
        env: {
          ...COMMON_ENV,
          ...env,
          ...(env.REDIS_URL === undefined ? {} : { REPLICA_ID: `bench-${i + 1}` }),
        },
      }),
    );
  }
  return replicas;
}

type Load = 'even' | 'skewed';
const LOADS: readonly Load[] = ['even', 'skewed'];

/** Which replica session \`i\` talks to. */
function replicaFor(load: Load, i: number): number {
  if (load === 'even') return i % REPLICAS;
  const share = i % 10; // 8 in 10 on the first replica, 1 in 10 on each of the others
  return share < 8 ? 0 : share - 7;
}

/** Every 250 ms: each replica's TTS clients in use / live (FLEET_TRACE=1). */
function startTrace(replicas: ServerProcess[]): () => string[] {
  if (process.env.FLEET_TRACE !== '1') return () => [];
  const lines: string[] = [];
  const started = performance.now();
  let stopped = false;
  const sample = async (): Promise<void> => {
    while (!stopped) {
      const books = await Promise.all(replicas.map((r) => r.snapshot()));
      const at = ((performance.now() - started) / 1000).toFixed(2).padStart(6);
      lines.push(`${at}s  ${books.map((b) => `${b.tts.inUse}/${b.tts.size}`.padStart(6)).join('  ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  void sample();
  return () => {
    stopped = true;
    return lines;
  };
}

async function runLoad(
  label: string,
  load: Load,
  emulator: BenchEmulator,
  replicas: ServerProcess[],
): Promise<Outcome> {
  for (const replica of replicas) {
    await replica.allocations(); // start from an empty record
    await replica.load();
  }
  await emulator.reset();
  await emulator.setFaults({
    maxConnections: BUDGET,
    connectLatencyMs: CONNECT_LATENCY_MS,
    firstByteLatencyMs: FIRST_BYTE_LATENCY_MS,
  });
  const failedBy: Record<string, number> = {};
  let completed = 0;
  const stopTrace = startTrace(replicas);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SESSIONS }, async (_, i) => {
      const client = await VoiceClient.connect({
        url: replicas[replicaFor(load, i)].url,
        connectTimeoutMs: 60_000,
        ackTimeoutMs: 60_000,
      });
      try {
        for (let r = 0; r < REQUESTS_PER_SESSION; r++) {
          const result = await timedSynthesis(client, { text: TEXT });
          if (result.ok) completed++;
          else
            failedBy[result.error?.code ?? 'unknown'] = (failedBy[result.error?.code ?? 'unknown'] ?? 0) + 1;
        }
      } finally {
        client.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const loads = await Promise.all(replicas.map((r) => r.load()));
  const cpuSeconds = loads.reduce((sum, l) => sum + (l.cpuPercent / 100) * seconds, 0);
  const trace = stopTrace();
  if (trace.length > 0)
    console.log(`\n${label}, TTS clients in use / live per replica:\n${trace.join('\n')}`);
  const stats = await emulator.stats();
  const allocations: Outcome['allocations'] = {};
  for (const replica of replicas) {
    const { byTier } = await replica.allocations();
    for (const [key, summary] of Object.entries(byTier)) {
      const seen = allocations[key] ?? { p50: 0, p99: 0, n: 0 };
      allocations[key] = {
        p50: Math.max(seen.p50, summary.p50),
        p99: Math.max(seen.p99, summary.p99),
        n: seen.n + summary.n,
      };
    }
  }
  return {
    label,
    completed,
    failedBy,
    upstream429: stats.rejectedTotal,
    connectionsOpened: stats.connectionsTotal,
    seconds: round(seconds),
    throughput: round((completed / seconds) * 10) / 10,
    cpuMsPerRequest: round((cpuSeconds * 1000) / Math.max(1, completed)),
    allocations,
  };
}

/** The round with the median throughput. */
function median(outcomes: Outcome[]): Outcome {
  return [...outcomes].sort((a, b) => a.throughput - b.throughput)[Math.floor(outcomes.length / 2)];
}

/** One lease taken and given back, straight against Redis: what a COLD creation adds in fleet mode. */
async function timeLeases(redis: RedisServerProcess): Promise<{ take: Summary; give: Summary }> {
  const connection = new Redis(redis.url);
  const ledger = new LeaseLedger(connection, new FleetKeys('bench-leases:'), 'bench', 60_000, 3_000);
  await ledger.sync({ tts: 0, stt: 0 });
  const takes: number[] = [];
  const gives: number[] = [];
  for (let i = 0; i < LEASE_SAMPLES; i++) {
    let at = performance.now();
    await ledger.take('tts', 1_000, 'acquire', 1);
    takes.push(performance.now() - at);
    at = performance.now();
    await ledger.give('tts', 1);
    gives.push(performance.now() - at);
  }
  await ledger.leave();
  connection.disconnect();
  return { take: roundSummary(summarize(takes.slice(100))), give: roundSummary(summarize(gives.slice(100))) };
}

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const redis = await startRedisServer();
  try {
    progress('lease round trips');
    const leases = await timeLeases(redis);

    const outcomes = {} as Record<Load, { fleet: Outcome; split: Outcome }>;
    const rounds = {} as Record<Load, { fleet: Outcome[]; split: Outcome[] }>;
    for (const load of LOADS) {
      rounds[load] = { fleet: [], split: [] };
      for (let r = 1; r <= ROUNDS; r++) {
        // The order alternates, so neither variant always runs on a freshly started emulator.
        const order: Array<'fleet' | 'split'> = r % 2 === 1 ? ['fleet', 'split'] : ['split', 'fleet'];
        for (const variant of order) {
          if (variant === 'fleet') {
            progress(`(a) fleet, ${load} load, round ${r}/${ROUNDS}: 3 replicas, fleet budget 12`);
            const replicas = await startReplicas(emulator, {
              REDIS_URL: redis.url,
              SPEECH_FLEET_TTS_MAX_SIZE: String(BUDGET),
            });
            rounds[load].fleet.push(await runLoad(`(a) fleet, ${load}`, load, emulator, replicas));
            for (const replica of replicas) await replica.close();
          } else {
            progress(`(b) no Redis, ${load} load, round ${r}/${ROUNDS}: 3 replicas, 4 each`);
            const replicas = await startReplicas(emulator, {
              SPEECH_POOL_TTS_MAX_SIZE: String(BUDGET / REPLICAS),
            });
            rounds[load].split.push(await runLoad(`(b) split, ${load}`, load, emulator, replicas));
            for (const replica of replicas) await replica.close();
          }
        }
      }
      outcomes[load] = { fleet: median(rounds[load].fleet), split: median(rounds[load].split) };
    }

    const all = LOADS.flatMap((load) => [outcomes[load].fleet, outcomes[load].split]);
    printTable(
      `3 replicas, ${SESSIONS} sessions x ${REQUESTS_PER_SESSION} syntheses (even: round-robin; skewed: 80 % on one replica), upstream limit ${BUDGET} (429 beyond), ${CONNECT_LATENCY_MS} ms per new connection`,
      [
        'variant',
        'served',
        'failed',
        'upstream 429',
        'connections / session',
        'seconds',
        'requests/s',
        'replica CPU ms / request',
      ],
      all.map((o) => [
        o.label,
        o.completed,
        JSON.stringify(o.failedBy),
        o.upstream429,
        round(o.connectionsOpened / SESSIONS),
        o.seconds,
        o.throughput,
        o.cpuMsPerRequest,
      ]),
    );
    printTable(
      `Throughput of every round, requests/s (the table above shows each variant's median round)`,
      ['variant', ...Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1}`)],
      LOADS.flatMap((load) => [
        [`(a) fleet, ${load}`, ...rounds[load].fleet.map((o) => o.throughput)],
        [`(b) split, ${load}`, ...rounds[load].split.map((o) => o.throughput)],
      ]),
    );
    const tiers = [...new Set(all.flatMap((o) => Object.keys(o.allocations)))].sort();
    printTable(
      'Allocation latency by pool/tier, ms (worst replica: p50 / p99, allocations)',
      ['pool/tier', ...all.map((o) => o.label)],
      tiers.map((tier) => [
        tier,
        ...all.map((o) => {
          const a = o.allocations[tier];
          return a === undefined ? '-' : `${a.p50} / ${a.p99} (${a.n})`;
        }),
      ]),
    );
    const ratio = (load: Load): number =>
      round(outcomes[load].fleet.throughput / outcomes[load].split.throughput);
    printTable(
      'One lease, straight against Redis (loopback), ms',
      ['operation', 'p50', 'p99', 'max'],
      [
        ['take', leases.take.p50, leases.take.p99, leases.take.max],
        ['give', leases.give.p50, leases.give.p99, leases.give.max],
      ],
    );
    console.log(
      targetLine(
        `lease overhead p99 < ${TARGET_LEASE_P99_MS} ms on loopback`,
        leases.take.p99 < TARGET_LEASE_P99_MS,
        `${leases.take.p99} ms`,
      ),
    );
    const served = LOADS.flatMap((load) => [...rounds[load].fleet, ...rounds[load].split]).every(
      (o) => o.completed === SESSIONS * REQUESTS_PER_SESSION && o.upstream429 === 0,
    );
    console.log(
      targetLine(
        'every request served, no upstream 429, in all four variants',
        served,
        `${all.length * ROUNDS} runs`,
      ),
    );
    console.log(
      targetLine('even load: fleet >= 1.0x the fixed split', ratio('even') >= 1, `${ratio('even')}x`),
    );
    console.log(
      targetLine('skewed load: fleet >= 1.5x the fixed split', ratio('skewed') >= 1.5, `${ratio('skewed')}x`),
    );
    printBenchLine({
      bench: 'fleet',
      replicas: REPLICAS,
      budget: BUDGET,
      sessions: SESSIONS,
      requestsPerSession: REQUESTS_PER_SESSION,
      outcomes,
      roundThroughputs: Object.fromEntries(
        LOADS.map((load) => [
          load,
          {
            fleet: rounds[load].fleet.map((o) => o.throughput),
            split: rounds[load].split.map((o) => o.throughput),
          },
        ]),
      ),
      throughputRatio: { even: ratio('even'), skewed: ratio('skewed') },
      leaseTakeMs: leases.take,
      leaseGiveMs: leases.give,
    });
  } finally {
    await redis.stop();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
