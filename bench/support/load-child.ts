/**
 * A load generator in its own process (the scale benchmark keeps it off the server's CPU and file descriptors):
 * opens many idle voice sessions, makes some of them active, reports what their clients saw.
 */
import { serveParent } from './child';
import { processLoadMeter } from './process-load';
import { roundSummary, summarize } from './stats';
import { VoiceClient } from '../../src/client';
import { timedSynthesis, type TtsResult } from './timed-voice';

interface ConnectOrder {
  url: string;
  count: number;
  /** New connections per second. */
  rate: number;
  /** Most handshakes in flight at once. */
  maxPending: number;
}

interface ActivateOrder {
  count: number;
  /** Each of the first `count` sessions makes its first request at a random point within this window. */
  rampMs: number;
  text: string;
}

interface RunOrder {
  count: number;
  /** Each active session synthesizes once per interval (starting at a random point of the first interval). */
  intervalMs: number;
  durationMs: number;
  text: string;
}

const clients: VoiceClient[] = [];
const connectErrors: Record<string, number> = {};
let connecting = 0;
let closing = false;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function note(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

async function connect(order: ConnectOrder): Promise<{ connected: number; failed: number; seconds: number }> {
  const started = performance.now();
  let failed = 0;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < order.count; i++) {
    await sleep(started + (i * 1000) / order.rate - performance.now());
    while (pending.size >= order.maxPending) await Promise.race(pending);
    connecting++;
    const attempt: Promise<void> = VoiceClient.connect({
      url: order.url,
      connectTimeoutMs: 60_000,
      ackTimeoutMs: 60_000,
    })
      .then(
        (client) => {
          clients.push(client);
          client.socket.on('disconnect', (reason) => {
            if (!closing) note(connectErrors, `disconnected by ${reason}`);
          });
        },
        (error: unknown) => {
          failed++;
          note(connectErrors, String(error instanceof Error ? error.message : error));
        },
      )
      .finally(() => {
        connecting--;
        pending.delete(attempt);
      });
    pending.add(attempt);
  }
  await Promise.all(pending);
  return { connected: clients.length, failed, seconds: (performance.now() - started) / 1000 };
}

/** Collects what clients saw: first byte, the server's own first byte, the difference, tiers, errors. */
function recorder() {
  const firstByte: number[] = [];
  const serverFirstByte: number[] = [];
  const overhead: number[] = [];
  const tiers: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const started = performance.now();
  return {
    add(r: TtsResult): void {
      if (r.ok && r.firstByteMs !== null) {
        firstByte.push(r.firstByteMs);
        note(tiers, r.tier ?? 'unknown');
        if (r.serverFirstByteMs !== null) {
          serverFirstByte.push(r.serverFirstByteMs);
          overhead.push(r.firstByteMs - r.serverFirstByteMs);
        }
      } else note(errors, r.error?.code ?? 'NO_AUDIO');
    },
    result() {
      const seconds = (performance.now() - started) / 1000;
      return {
        requests: firstByte.length + Object.values(errors).reduce((a, b) => a + b, 0),
        completed: firstByte.length,
        seconds,
        perSecond: firstByte.length / seconds,
        firstByteMs: roundSummary(summarize(firstByte)),
        serverFirstByteMs: roundSummary(summarize(serverFirstByte)),
        overheadMs: roundSummary(summarize(overhead)),
        tiers,
        errors,
      };
    },
  };
}

/** The first request of each active session: where it gets its synthesizer (WARM or COLD) and keeps it. */
async function activate(order: ActivateOrder) {
  const rec = recorder();
  const started = performance.now();
  await Promise.all(
    clients.slice(0, order.count).map(async (client) => {
      await sleep(started + Math.random() * order.rampMs - performance.now());
      rec.add(await timedSynthesis(client, { text: order.text, format: 'pcm-16k' }));
    }),
  );
  return rec.result();
}

/** The active sessions' steady state: one synthesis per interval each, on their DEDICATED synthesizer. */
async function run(order: RunOrder) {
  const rec = recorder();
  const started = performance.now();
  const deadline = started + order.durationMs;
  await Promise.all(
    clients.slice(0, order.count).map(async (client) => {
      for (let next = started + Math.random() * order.intervalMs; ; next += order.intervalMs) {
        await sleep(next - performance.now());
        if (performance.now() >= deadline) return;
        rec.add(await timedSynthesis(client, { text: order.text, format: 'pcm-16k' }));
      }
    }),
  );
  return rec.result();
}

function disconnectAll(): Promise<number> {
  closing = true;
  const all = clients.splice(0);
  for (const client of all) client.close();
  return Promise.resolve(all.length);
}

const load = processLoadMeter();

serveParent(
  { pid: process.pid },
  {
    load,
    connect: (order) => connect(order as ConnectOrder),
    activate: (order) => activate(order as ActivateOrder),
    run: (order) => run(order as RunOrder),
    status: () => ({
      connected: clients.filter((c) => c.socket.connected).length,
      connecting,
      errors: connectErrors,
      memory: process.memoryUsage(),
    }),
    disconnect: () => disconnectAll(),
  },
  async () => {
    await disconnectAll();
  },
);
