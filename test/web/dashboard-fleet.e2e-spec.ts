import type { Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { FleetView } from '../../src/fleet/api/fleet-view';
import { describeWithRedis, startRedis, type TestRedis } from '../support/fleet/redis-server';
import { chromiumAvailability, launchChromium, type Chromium } from '../support/web/chromium';
import { PageWatch } from '../support/web/page-watch';
import { screenshot } from '../support/web/screenshots';
import { startWebApp, type WebApp } from '../support/web/web-app';
import { ensureWebBundle } from '../support/web/web-bundle';

jest.setTimeout(60_000);

const KEY = 'fleet-dashboard-key';
const REPLICA = 'web-replica-1';
const FLEET_MAX = 6;
/** Bounds a failure, not a speed. */
const UI_TIMEOUT = 15_000;

const browserTests = chromiumAvailability().ok ? describeWithRedis : describe.skip;

const text = async (page: Page, testId: string): Promise<string> =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

async function fleetView(url: string): Promise<FleetView> {
  const response = await fetch(`${url}/api/v1/fleet`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as FleetView;
}

/** What the page should show for the fleet, formatted as it formats it. */
function expected(view: FleetView): Record<string, string> {
  const shown: Record<string, string> = { 'fleet-redis': `Redis ${view.redis}` };
  for (const [pool, { max, leased }] of Object.entries(view.budget)) {
    shown[`fleet-budget-${pool}`] = `${leased} / ${max ?? '∞'}`;
  }
  for (const replica of view.replicas) {
    const perPool = (field: 'warmPoolSize' | 'inUse' | 'size'): string =>
      ['tts', 'stt'].map((pool) => String(replica.pools[pool][field])).join(' / ');
    shown[`replica-${replica.id}-ready`] = replica.ready ? 'ready' : 'not ready';
    shown[`replica-${replica.id}-sessions`] = String(replica.sessions);
    shown[`replica-${replica.id}-warm`] = perPool('warmPoolSize');
    shown[`replica-${replica.id}-in-use`] = perPool('inUse');
    shown[`replica-${replica.id}-leases`] = perPool('size');
  }
  return shown;
}

/**
 * The dashboard in fleet mode (a real redis-server): the fleet card shows this replica's row and the fleet budget
 * as GET /api/v1/fleet has them. Without fleet mode the card is absent (test/web/web-pages.e2e-spec.ts).
 */
browserTests('the dashboard in fleet mode, in Chromium', () => {
  let redis: TestRedis;
  let emulator: RunningEmulator;
  let web: WebApp;
  let browser: Chromium;
  let watch: PageWatch;

  beforeAll(async () => {
    const [startedRedis, startedEmulator] = await Promise.all([
      startRedis(),
      startEmulator({ port: 0, voice: 'synthetic' }),
      ensureWebBundle(),
    ]);
    redis = startedRedis;
    emulator = startedEmulator;
    web = await startWebApp({
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      VOICE_API_KEYS: KEY,
      SPEECH_POOL_WARM_SIZE: '2',
      REDIS_URL: redis.url,
      REPLICA_ID: REPLICA,
      SPEECH_FLEET_MAX_SIZE: String(FLEET_MAX),
      LOG_LEVEL: 'warn',
    });
    browser = await launchChromium();
    watch = await PageWatch.on(browser.context);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await emulator?.close();
    await redis?.stop();
  });

  it('shows the replica row, the fleet budget per pool and Redis ok, as /api/v1/fleet has them', async () => {
    const page = watch.page(await browser.context.newPage());
    await page.goto(`${web.url}/dashboard`);
    await page.getByTestId('token').fill(KEY);
    await page.getByTestId('token').press('Enter');
    await page.getByTestId(`replica-${REPLICA}`).waitFor({ timeout: UI_TIMEOUT });

    let mismatch = '';
    let view: FleetView | undefined;
    for (const deadline = Date.now() + UI_TIMEOUT; Date.now() < deadline; await page.waitForTimeout(250)) {
      view = await fleetView(web.url);
      mismatch = '';
      for (const [testId, want] of Object.entries(expected(view))) {
        const shown = await text(page, testId);
        if (shown !== want) mismatch += `${testId}: page ${shown}, API ${want}; `;
      }
      if (mismatch === '') break;
    }
    expect(mismatch).toBe('');
    expect(view!.replicas.map((r) => r.id)).toEqual([REPLICA]);
    expect(view!.redis).toBe('ok');
    expect(view!.budget.tts.max).toBe(FLEET_MAX);
    // The warm clients are live upstream clients, each holding a lease.
    expect(view!.budget.tts.leased).toBeGreaterThanOrEqual(2);
    expect(await text(page, 'fleet-budget-tts')).toBe(`${view!.budget.tts.leased} / ${FLEET_MAX}`);
    expect(
      await page
        .getByTestId(/^replica-/)
        .and(page.locator('tr'))
        .count(),
    ).toBe(1);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'dashboard-fleet');
  });
});
