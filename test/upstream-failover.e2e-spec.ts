import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import type { PoolSnapshot } from '../src/pools/pool-snapshot';
import { startRealService, type RealService } from './support/app/real-service';

jest.setTimeout(120_000);

async function tts(service: RealService, text: string): Promise<number> {
  const response = await fetch(`${service.url}/api/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function ttsSnapshot(service: RealService): Promise<PoolSnapshot> {
  return (await (await fetch(`${service.url}/api/v1/pools/tts`)).json()) as PoolSnapshot;
}

/** Polls an asynchronous condition (an HTTP answer) until it holds. */
async function eventually(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('several upstreams with failover (e2e)', () => {
  let first: RunningEmulator;
  let second: RunningEmulator;
  let service: RealService;

  beforeAll(async () => {
    first = await startEmulator({ port: 0, voice: 'synthetic' });
    second = await startEmulator({ port: 0, voice: 'synthetic' });
    first.setFaults({ maxConnections: 0 }); // refuses every upgrade with 429
    service = await startRealService({
      AZURE_SPEECH_HOST: `${first.url},${second.url}`,
      AZURE_SPEECH_KEY: 'k',
      SPEECH_EMULATOR: 'off',
      SPEECH_POOL_WARM_SIZE: '2',
      AZURE_SPEECH_FAILOVER_THRESHOLD: '2',
      AZURE_SPEECH_FAILOVER_COOLDOWN: '0.5',
    });
  });
  afterAll(async () => {
    await service?.close();
    await first?.close();
    await second?.close();
  });

  it('serves every request from the second while the first refuses every upgrade', async () => {
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => tts(service, `Request ${i}.`)));
    expect(statuses).toEqual(Array.from({ length: 12 }, () => 200));
    expect(first.stats()).toMatchObject({ connectionsTotal: 0, syntheses: 0 });
    expect(second.stats().syntheses).toBeGreaterThanOrEqual(12);
    const snapshot = await ttsSnapshot(service);
    const [primary, fallback] = snapshot.upstreams ?? [];
    expect(primary).toMatchObject({ name: `127.0.0.1:${first.port}`, resources: 0 });
    expect(primary?.circuit).not.toBe('closed');
    expect(fallback).toMatchObject({ name: `127.0.0.1:${second.port}`, circuit: 'closed' });
    expect(fallback?.resources).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot)).not.toMatch(/"k"|subscription/i);

    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain(
      `warmline_pool_upstream_clients{pool="tts",upstream="127.0.0.1:${second.port}"}`,
    );
    expect(metrics).toMatch(
      new RegExp(`warmline_pool_upstream_circuit_open\\{pool="tts",upstream="127.0.0.1:${first.port}"\\} 1`),
    );
  });

  it('goes back to the first once it recovers: a probe closes its circuit, new clients go to it', async () => {
    first.setFaults({});
    await eventually(
      async () => (await ttsSnapshot(service)).upstreams?.[0]?.circuit === 'closed',
      "the first upstream's circuit closing",
    );
    // Clients on the second are retired as they come by; every request still succeeds meanwhile.
    await eventually(async () => {
      const statuses = await Promise.all([1, 2, 3].map((i) => tts(service, `Back ${i}.`)));
      expect(statuses).toEqual([200, 200, 200]);
      return first.stats().syntheses >= 3;
    }, 'syntheses on the first upstream');
    const snapshot = await ttsSnapshot(service);
    expect(snapshot.upstreams?.[0]?.resources).toBeGreaterThan(0);
    expect(snapshot.metrics.resourcesCreated - snapshot.metrics.resourcesDestroyed).toBe(snapshot.size);
  });
});
