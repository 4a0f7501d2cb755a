import { io, type Socket as ClientSocket } from 'socket.io-client';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { freePort, spawnService, waitForReady, type ServiceProcess } from '../support/service-process';
import { metricNames } from './support/promql';
import { describeWithPromtool, promtool } from './support/promtool';
import { dashboardQueries, readAlertRules, readDashboard } from './support/rules';

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
    const socket: ClientSocket = io(`${base}/voice`, { transports: ['websocket'], reconnection: false });
    try {
      await new Promise((resolve, reject) => {
        socket.once('session.ready', resolve);
        socket.once('connect_error', reject);
      });
      const ack = (await socket
        .timeout(20_000)
        .emitWithAck('tts.synthesize', { text: 'metrics for the operators' })) as { ok: boolean };
      expect(ack.ok).toBe(true);
    } finally {
      socket.disconnect();
    }
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    scrape = await res.text();
  });

  afterAll(async () => {
    if (service !== undefined) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await emulator?.close();
  });

  it('has the labelled series, with samples', () => {
    expect(scrape).toMatch(/^warmline_voice_tts_first_byte_seconds_count\{tier="\w+"\} 1$/m);
    expect(scrape).toMatch(/^warmline_pool_allocations_total\{pool="tts",tier="warm"\} [1-9]/m);
  });

  it('has every series an alert uses', () => {
    const exported = exportedSeries(scrape);
    for (const rule of readAlertRules()) {
      for (const metric of metricNames(rule.expr)) {
        expect([rule.alert, metric, exported.has(metric)]).toEqual([rule.alert, metric, true]);
      }
    }
  });

  it('has every series the dashboard queries', () => {
    const exported = exportedSeries(scrape);
    for (const query of dashboardQueries(readDashboard())) {
      for (const metric of metricNames(query)) expect([metric, exported.has(metric)]).toEqual([metric, true]);
    }
  });

  describeWithPromtool('promtool', () => {
    it('check metrics: no problems in the exposition', () => {
      const result = promtool(['check', 'metrics'], { input: scrape });
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });
  });
});
