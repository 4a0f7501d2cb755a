import { VoiceClient } from '../../src/client';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { describeWithRedis, startRedis, type TestRedis } from '../support/fleet/redis-server';
import {
  freePort,
  spawnService,
  waitForReady,
  type ServiceProcess,
} from '../support/process/service-process';
import { metricNames } from '../support/deploy/promql';
import { describeWithPromtool, promtool } from '../support/deploy/promtool';
import { dashboardQueries, readAlertRules, readDashboard } from '../support/deploy/rules';

jest.setTimeout(120_000);

/** The series names a Prometheus text exposition declares, histogram and summary parts included. */
function exportedSeries(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  for (const match of text.matchAll(/^([a-zA-Z_:][\w:]*)[{ ]/gm)) names.add(match[1]);
  return names;
}

/** Series that exist only in fleet mode (REDIS_URL set): src/fleet/api/fleet-metrics.ts. */
const isFleetSeries = (name: string): boolean => name.startsWith('warmline_fleet_');

/** Every series name the alerts and the dashboard use, with where it is used. */
function usedSeries(): Array<{ where: string; metric: string }> {
  return [
    ...readAlertRules().flatMap((rule) =>
      [...metricNames(rule.expr)].map((metric) => ({ where: rule.alert, metric })),
    ),
    ...dashboardQueries(readDashboard()).flatMap((query) =>
      [...metricNames(query)].map((metric) => ({ where: 'dashboard', metric })),
    ),
  ];
}

async function stopService(service: ServiceProcess | undefined): Promise<void> {
  if (service === undefined) return;
  service.child.kill('SIGTERM');
  await service.exited;
}

/**
 * A real /metrics scrape of the service as it runs in a container (src/main.ts in its own process, with the voice
 * gateway), after one synthesis: promtool accepts it, and it has every series the alerts and the dashboard use.
 */
describe('/metrics of the running service against the operations artefacts (e2e)', () => {
  let emulator: RunningEmulator;
  let service: ServiceProcess;
  let scrape: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    const base = `http://127.0.0.1:${await freePort()}`;
    service = spawnService({
      PORT: new URL(base).port,
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
    });
    await waitForReady(base, service);

    // One synthesis, so the labelled series (tiers, outcomes, first byte) have samples, not only their headers.
    const client = await VoiceClient.connect({ url: base });
    try {
      expect(await client.synthesize({ text: 'metrics for the operators' })).toMatchObject({ ok: true });
    } finally {
      client.close();
    }
    // And one over HTTP: both transports are counted alike.
    const tts = await fetch(`${base}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'and over HTTP' }),
    });
    expect(tts.status).toBe(200);
    await tts.arrayBuffer();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    scrape = await res.text();
  });

  afterAll(async () => {
    await stopService(service);
    await emulator?.close();
  });

  it('has the labelled series, with samples, for both transports', () => {
    for (const transport of ['socketio', 'http']) {
      expect(scrape).toMatch(
        new RegExp(
          `^warmline_tts_first_byte_seconds_count\\{transport="${transport}",tier="\\w+"\\} 1$`,
          'm',
        ),
      );
      expect(scrape).toMatch(
        new RegExp(
          `^warmline_speech_requests_total\\{operation="synthesis",transport="${transport}",tier="\\w+",outcome="ok"\\} 1$`,
          'm',
        ),
      );
    }
    expect(scrape).toMatch(
      /^warmline_http_requests_total\{route="\/api\/v1\/tts",method="POST",status="200"\} 1$/m,
    );
    expect(scrape).toMatch(/^warmline_pool_allocations_total\{pool="tts",tier="warm"\} [1-9]/m);
  });

  it('has every series the alerts and the dashboard use, fleet series (fleet mode only) aside', () => {
    const exported = exportedSeries(scrape);
    const used = usedSeries().filter(({ metric }) => !isFleetSeries(metric));
    expect(used.length).toBeGreaterThan(0);
    for (const { where, metric } of used) {
      expect([where, metric, exported.has(metric)]).toEqual([where, metric, true]);
    }
  });

  it('has no fleet series without fleet mode', () => {
    expect([...exportedSeries(scrape)].filter(isFleetSeries)).toEqual([]);
  });

  describeWithPromtool('promtool', () => {
    it('check metrics: no problems in the exposition', () => {
      const result = promtool(['check', 'metrics'], { input: scrape });
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  });
});

/**
 * The same service in fleet mode (REDIS_URL to a real redis-server, a fleet cap): its /metrics adds the fleet
 * series, so every series the alerts and the dashboard use, fleet ones included, is exported there.
 */
describeWithRedis('/metrics of the running service in fleet mode (e2e)', () => {
  const FLEET_MAX = 8;
  let redis: TestRedis;
  let emulator: RunningEmulator;
  let service: ServiceProcess;
  let scrape: string;

  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    const base = `http://127.0.0.1:${await freePort()}`;
    service = spawnService({
      PORT: new URL(base).port,
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      REDIS_URL: redis.url,
      REPLICA_ID: 'metrics-replica',
      SPEECH_FLEET_MAX_SIZE: String(FLEET_MAX),
    });
    await waitForReady(base, service);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    scrape = await res.text();
  });

  afterAll(async () => {
    await stopService(service);
    await emulator?.close();
    await redis?.stop();
  });

  it('has every series the alerts and the dashboard use, the fleet series included', () => {
    const exported = exportedSeries(scrape);
    const used = usedSeries();
    expect(used.filter(({ metric }) => isFleetSeries(metric)).length).toBeGreaterThan(0);
    for (const { where, metric } of used) {
      expect([where, metric, exported.has(metric)]).toEqual([where, metric, true]);
    }
  });

  it('reports the fleet cap, this replica and Redis reachable', () => {
    expect(scrape).toMatch(new RegExp(`^warmline_fleet_budget\\{pool="tts"\\} ${FLEET_MAX}$`, 'm'));
    expect(scrape).toMatch(/^warmline_fleet_leased\{pool="stt"\} \d+$/m);
    expect(scrape).toMatch(/^warmline_fleet_replicas 1$/m);
    expect(scrape).toMatch(/^warmline_fleet_degraded 0$/m);
  });

  describeWithPromtool('promtool', () => {
    it('check metrics: no problems in the exposition', () => {
      const result = promtool(['check', 'metrics'], { input: scrape });
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  });
});
