import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { VoiceClient } from '../../src/client';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { chromiumAvailability, launchChromium, type Chromium } from '../support/web/chromium';
import { PageWatch } from '../support/web/page-watch';
import { screenshot } from '../support/web/screenshots';
import { compareAudio, int16, paddedWav, synthesizePcm } from '../support/web/speech-audio';
import { synthesizeTimed } from '../support/emulator/timed-synthesis';
import { startWebApp, type WebApp } from '../support/web/web-app';
import { ensureWebBundle } from '../support/web/web-bundle';

jest.setTimeout(60_000);

const KEY = 'web-test-key-0123456789';
const PHRASE = 'Hello from the browser';
/** Silence around the speech in the microphone's file: the capture starts before the page's worklet runs. */
const LEAD_SECONDS = 2;
const TRAIL_SECONDS = 0.5;
/** Bounds a failure, not a speed. */
const UI_TIMEOUT = 15_000;

const browserTests = chromiumAvailability().ok ? describe : describe.skip;

/** An element's text as the DOM has it (CSS may change its case on screen). */
const text = async (page: Page, testId: string): Promise<string> =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

/** Types the key into the page's token field and commits it (the field saves on change). */
async function enterKey(page: Page, key: string): Promise<void> {
  await page.getByTestId('token').fill(key);
  await page.getByTestId('token').press('Enter');
  await page.getByTestId('token').blur();
}

const normalise = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim();

browserTests('the web pages in Chromium', () => {
  let emulator: RunningEmulator;
  let web: WebApp;
  let browser: Chromium;
  let watch: PageWatch;

  beforeAll(async () => {
    const [started] = await Promise.all([startEmulator({ port: 0, voice: 'synthetic' }), ensureWebBundle()]);
    emulator = started;
    web = await startWebApp({
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      VOICE_API_KEYS: KEY,
      SPEECH_POOL_WARM_SIZE: '2',
      LOG_LEVEL: 'warn',
    });
    browser = await launchChromium();
    watch = await PageWatch.on(browser.context);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await emulator?.close();
  });

  describe('demo (/)', () => {
    let page: Page;

    beforeAll(async () => {
      page = watch.page(await browser.context.newPage());
      await page.goto(`${web.url}/`);
    });

    it('shows a refused key as the typed error, then connects once the key is entered (kept for next time)', async () => {
      await expectText(page, 'status', 'disconnected');
      expect(await text(page, 'error')).toContain('UNAUTHORIZED');

      await enterKey(page, KEY);
      await expectText(page, 'status', 'connected');
      expect(await page.getByTestId('error').isHidden()).toBe(true);
      expect(await page.evaluate(() => localStorage.getItem('warmline.token'))).toBe(KEY);
    });

    it('speaks: warm first, dedicated next, audio scheduled as chunks arrive, one history row per request', async () => {
      await page.getByTestId('text').fill('Hello from the browser test.');
      await page.getByTestId('speak').click();
      await expectText(page, 'tier', 'warm');
      expect(Number(await text(page, 'first-byte-ms'))).toBeGreaterThan(0);
      expect(Number(await text(page, 'total-ms'))).toBeGreaterThan(0);
      const afterFirst = await playback(page);
      expect(afterFirst.chunksScheduled).toBeGreaterThan(1);
      expect(afterFirst.secondsScheduled).toBeGreaterThan(0.5);

      await page.getByTestId('speak').click();
      await expectText(page, 'tier', 'dedicated');
      expect(Number.isFinite(Number(await text(page, 'first-byte-ms')))).toBe(true);
      expect((await playback(page)).chunksScheduled).toBeGreaterThan(afterFirst.chunksScheduled);

      const rows = page.getByTestId('history').getByTestId('history-row');
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).getByTestId('history-tier').innerText()).toBe('dedicated');
      expect(await rows.nth(1).getByTestId('history-tier').innerText()).toBe('warm');
      // Chunks are played back to back on the audio clock.
      await page.waitForFunction(() => window.warmline.playback.chunksPlayed > 0);
      expect((await playback(page)).underruns).toBe(0);
      await screenshot(page, 'demo');
    });

    it('lists the voices from /api/v1/voices and speaks with the one chosen', async () => {
      const response = await fetch(`${web.url}/api/v1/voices`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(response.status).toBe(200);
      const { voices } = (await response.json()) as { voices: Array<{ name: string }> };
      expect(voices.length).toBeGreaterThan(1);
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid=voice] option').length === n + 1,
        voices.length,
      );
      expect(await page.getByTestId('voice').locator('option').first().textContent()).toBe('Default voice');
      expect(await page.getByTestId('voice-error').isHidden()).toBe(true);

      const chosen = voices[voices.length - 1].name;
      await page.getByTestId('voice').selectOption(chosen);
      await page.getByTestId('speak').click();
      await page
        .getByTestId('history-row')
        .first()
        .getByTestId('history-voice')
        .filter({ hasText: chosen })
        .waitFor();
      await expectText(page, 'tier', 'dedicated');
      await page.getByTestId('voice').selectOption('');
    });

    it('shows why the voice list is unavailable, and still speaks with the default voice', async () => {
      // A page of its own (not watched: the browser logs the failed request it is about).
      const failing = await browser.context.newPage();
      await failing.route('**/api/v1/voices', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'about:blank',
            title: 'Service Unavailable',
            status: 503,
            code: 'UPSTREAM_UNAVAILABLE',
            detail: 'the speech service did not answer',
            retryable: true,
          }),
        }),
      );
      await failing.goto(`${web.url}/`);
      await expectText(failing, 'voice-error', 'UPSTREAM_UNAVAILABLE');
      expect(await text(failing, 'voice-error')).toContain('the speech service did not answer');
      await failing.getByTestId('speak').click();
      await failing
        .getByTestId('tier')
        .filter({ hasText: /^(warm|dedicated|cold)$/ })
        .waitFor({ timeout: UI_TIMEOUT });
      await failing.close();
    });

    it('says when the speech comes from the built-in emulator, and not otherwise', async () => {
      // This service's upstream is an emulator reached by AZURE_SPEECH_HOST: a speech host like any other.
      expect(await page.getByTestId('upstream').isHidden()).toBe(true);
      const builtIn = watch.page(await browser.context.newPage());
      await builtIn.route('**/api/v1/voices', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            voices: [{ name: 'en-US-JennyNeural', locale: 'en-US', gender: 'Female' }],
            upstream: { emulator: true, emulatorVoice: 'espeak' },
          }),
        }),
      );
      await builtIn.goto(`${web.url}/`);
      await enterKey(builtIn, KEY);
      await expectText(builtIn, 'upstream', 'Built-in emulator');
      expect(await text(builtIn, 'upstream')).toContain('espeak-ng');
      await builtIn.close();
    });

    it('resumes its session after the connection drops, and says so', async () => {
      const before = await page.evaluate(() => window.warmline.sessionId());
      const rowsBefore = await page.getByTestId('history-row').count();
      web.dropVoiceConnections();
      await expectText(page, 'notice', 'resumed');
      await expectText(page, 'status', 'connected');
      expect(await page.evaluate(() => window.warmline.sessionId())).toBe(before);

      await page.getByTestId('speak').click();
      await expectText(page, 'tier', 'dedicated');
      expect(await page.getByTestId('history-row').count()).toBe(rowsBefore + 1);
    });

    it('transcribes audio streamed through its recognition path into the final transcript', async () => {
      const pcm = await synthesizePcm(web.url, KEY, PHRASE);
      await page.evaluate((bytes) => window.warmline.transcribePcm(new Uint8Array(bytes).buffer), [...pcm]);
      expect(normalise(await text(page, 'final'))).toContain(normalise(PHRASE));
      expect(await text(page, 'mic-note')).toMatch(/Recognised 1 phrase/);
    });

    it('fits a 375 px screen in dark mode', async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      // The history (rows from the tests above) fits its card: nothing cut off at the right.
      expect(await page.getByTestId('history-row').count()).toBeGreaterThan(0);
      const history = await page.evaluate(() => {
        const scroller = document.querySelector('.history .table-scroll');
        return { scrollWidth: scroller?.scrollWidth ?? Infinity, clientWidth: scroller?.clientWidth ?? 0 };
      });
      expect(history.scrollWidth).toBeLessThanOrEqual(history.clientWidth);
      // Tier, first byte and total: their values on one line.
      const tops = await page.evaluate(() =>
        [...document.querySelectorAll('.result dd')].map((dd) => Math.round(dd.getBoundingClientRect().top)),
      );
      expect(tops).toHaveLength(3);
      expect(new Set(tops).size).toBe(1);
      await screenshot(page, 'demo-375-dark');
    });
  });

  describe('dashboard (/dashboard)', () => {
    let page: Page;
    let speaker: VoiceClient | undefined;

    beforeAll(async () => {
      page = watch.page(await browser.context.newPage());
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${web.url}/dashboard`);
      await enterKey(page, KEY);
    });

    afterAll(() => speaker?.close());

    it('shows each pool with the numbers /api/v1/pools has, within a refresh', async () => {
      await expectText(page, 'status', 'connected');
      await expectPoolsMatchApi(page, web.url);
      expect(await text(page, 'pool-tts-ready')).toBe('ready');
      expect(await text(page, 'pool-stt-ready')).toBe('ready');
      // Not in fleet mode: no fleet card (test/web/dashboard-fleet.e2e-spec.ts has it in fleet mode).
      expect(await page.getByTestId('fleet').count()).toBe(0);
    });

    it('says warm against target and any extras apart, and shows no placeholder legend values', async () => {
      const card = await page.getByTestId('pool-tts').locator('.warm-level .label').innerText();
      const warm = Number(await text(page, 'pool-tts-warm'));
      const target = Number(await text(page, 'pool-tts-target'));
      expect(card).toContain(`${warm} warm · target ${target}`);
      const extra = await text(page, 'pool-tts-warm-extra');
      expect(extra).toBe(warm > target ? `· +${warm - target} kept warm above it` : '');
      const legends = await page.evaluate(() =>
        [...document.querySelectorAll('.u-legend')].map((legend) => legend.textContent ?? ''),
      );
      expect(legends.length).toBeGreaterThan(0);
      for (const legend of legends) expect(legend).not.toMatch(/--|—|Time/);
    });

    it('moves when a session speaks: sessions, allocations charted by tier, first-byte percentiles', async () => {
      const before = await dashboard(page);
      speaker = await VoiceClient.connect({ url: web.url, token: KEY });
      for (let i = 0; i < 3; i++) {
        expect(await speaker.synthesize({ text: `Update ${i}` })).toMatchObject({ ok: true });
      }
      const api = await pools(web.url);
      await page.waitForFunction(
        (want) => window.warmline.allocationsCharted >= want,
        before.allocationsCharted + 3,
        { timeout: UI_TIMEOUT },
      );
      await expectPoolsMatchApi(page, web.url);
      expect(Number(await text(page, 'pool-tts-sessions'))).toBe(api.tts.activeSessions);
      await page.waitForFunction(
        () => (window.warmline.lastFrame?.point.firstByteMs ?? null) !== null,
        undefined,
        {
          timeout: UI_TIMEOUT,
        },
      );
      // A few more refreshes, so the screenshot shows the latency as a line.
      const { frames } = await dashboard(page);
      await page.waitForFunction((n) => window.warmline.frames >= n, frames + 3, { timeout: UI_TIMEOUT });
      await screenshot(page, 'dashboard');
    });

    it('fits a 375 px screen in dark mode', async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(300); // charts follow their container's new width on the next frame
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'dashboard-375-dark');
    });
  });

  describe('microphone', () => {
    let micBrowser: Chromium;
    let micWatch: PageWatch;
    let dir: string;
    let speech: Int16Array;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'warmline-mic-'));
      const pcm = await synthesizePcm(web.url, KEY, PHRASE);
      speech = int16(pcm);
      const wav = join(dir, 'speech.wav');
      await writeFile(wav, paddedWav(pcm, 16_000, LEAD_SECONDS, TRAIL_SECONDS));
      micBrowser = await launchChromium([
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
      ]);
      micWatch = await PageWatch.on(micBrowser.context);
    });

    afterAll(async () => {
      await micBrowser?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('streams 16 kHz PCM from the AudioWorklet that carries what the microphone heard', async () => {
      const page = micWatch.page(await micBrowser.context.newPage());
      const sent: Buffer[] = [];
      page.on('websocket', (ws) => {
        ws.on('framesent', ({ payload }) => {
          if (typeof payload !== 'string') sent.push(Buffer.from(payload));
        });
      });
      await page.goto(`${web.url}/`);
      await enterKey(page, KEY);
      await expectText(page, 'status', 'connected');

      await page.getByTestId('mic').click();
      await expectText(page, 'mic', 'Stop microphone');
      // The whole file (speech and both silences) at 32,000 bytes a second.
      const wantBytes = (speech.length + (LEAD_SECONDS + TRAIL_SECONDS) * 16_000) * 2;
      await page.waitForFunction((n) => window.warmline.mic.bytesSent >= n, wantBytes, {
        timeout: UI_TIMEOUT,
      });
      await page.getByTestId('mic').click();
      await expectText(page, 'mic', 'Start microphone');
      await expectText(page, 'mic-note', 'Recognised 1 phrase');
      // Played at 16 kHz into a capture device at 48 kHz and resampled to 16 kHz by the page: still recognised.
      expect(normalise(await text(page, 'final'))).toBe(normalise(PHRASE));

      const received = int16(Buffer.concat(sent));
      const { bytesSent } = await page.evaluate(() => window.warmline.mic);
      expect(received.length * 2).toBe(bytesSent);
      const match = compareAudio(speech, received);
      // Same waveform at the same rate and level: a wrong rate, channel mix or 16-bit scaling would not correlate.
      expect(match.correlation).toBeGreaterThan(0.9);
      expect(match.gain).toBeGreaterThan(0.8);
      expect(match.gain).toBeLessThan(1.25);
      await screenshot(page, 'demo-microphone');
      expect(micWatch.consoleErrors).toEqual([]);
      expect(micWatch.offLoopback).toEqual([]);
    });
  });

  describe('microphone, speech the emulator never synthesized', () => {
    let micBrowser: Chromium;
    let micWatch: PageWatch;
    let dir: string;
    let stranger: RunningEmulator;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'warmline-mic-'));
      // Speech from another emulator: a voice like ours, words this service never said.
      stranger = await startEmulator({ port: 0, voice: 'synthetic' });
      const { audio } = await synthesizeTimed(stranger, 'en-US-JennyNeural', 'Nobody here ever said this.');
      const pcm = Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength);
      const wav = join(dir, 'unknown.wav');
      await writeFile(wav, paddedWav(pcm, 16_000, LEAD_SECONDS, TRAIL_SECONDS));
      micBrowser = await launchChromium([
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
      ]);
      micWatch = await PageWatch.on(micBrowser.context);
    });

    afterAll(async () => {
      await micBrowser?.close();
      await stranger?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('says plainly that the speech was heard but the emulator cannot know it', async () => {
      const page = micWatch.page(await micBrowser.context.newPage());
      await page.goto(`${web.url}/`);
      await enterKey(page, KEY);
      await expectText(page, 'status', 'connected');
      await page.getByTestId('mic').click();
      await expectText(page, 'mic', 'Stop microphone');
      const seconds = LEAD_SECONDS + TRAIL_SECONDS + 2;
      await page.waitForFunction((n) => window.warmline.mic.bytesSent >= n, seconds * 32_000, {
        timeout: UI_TIMEOUT,
      });
      await page.getByTestId('mic').click();
      await expectText(page, 'mic-note', 'Speech was heard but not recognised');
      expect(await text(page, 'mic-note')).toMatch(/only speech the emulator synthesized itself/);
      expect(await text(page, 'final')).toBe('');
      expect(micWatch.consoleErrors).toEqual([]);
    });
  });

  it('logged no console errors and sent nothing off this machine', () => {
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.offLoopback).toEqual([]);
  });
});

// ------------------------------------------------------------------ helpers

interface DemoWindow {
  warmline: {
    playback: { chunksScheduled: number; chunksPlayed: number; secondsScheduled: number; underruns: number };
    mic: { framesSent: number; bytesSent: number };
    sessionId(): string | null;
    transcribePcm(pcm: ArrayBuffer): Promise<{ finals: number }>;
  };
}

interface DashboardWindow {
  warmline: {
    frames: number;
    allocationsCharted: number;
    lastFrame: { point: { firstByteMs: unknown } } | null;
  };
}

// The page's globals, for the callbacks of page.evaluate and waitForFunction (which run in the page).
declare const window: DemoWindow & DashboardWindow;
interface PageElement {
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  getBoundingClientRect(): { top: number };
}
declare const document: {
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
  documentElement: { scrollWidth: number };
};
declare const localStorage: { getItem(key: string): string | null };

async function expectText(page: Page, testId: string, expected: string): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: expected }).waitFor({ timeout: UI_TIMEOUT });
}

function playback(page: Page): Promise<DemoWindow['warmline']['playback']> {
  return page.evaluate(() => ({ ...window.warmline.playback }));
}

function dashboard(page: Page): Promise<{ frames: number; allocationsCharted: number }> {
  return page.evaluate(() => {
    const { frames, allocationsCharted } = window.warmline;
    return { frames, allocationsCharted };
  });
}

interface ApiPool {
  warmPoolSize: number;
  warmPoolTarget: number;
  inUse: number;
  activeSessions: number;
  metrics: { hitRate: number | null };
}

async function pools(url: string): Promise<Record<string, ApiPool>> {
  const response = await fetch(`${url}/api/v1/pools`, { headers: { authorization: `Bearer ${KEY}` } });
  return ((await response.json()) as { pools: Record<string, ApiPool> }).pools;
}

/** What the page should show for a pool, formatted as it formats it. */
function expected(pool: ApiPool): Record<string, string> {
  const { hitRate } = pool.metrics;
  return {
    warm: String(pool.warmPoolSize),
    target: String(pool.warmPoolTarget),
    'in-use': String(pool.inUse),
    sessions: String(pool.activeSessions),
    'hit-rate': hitRate === null ? '—' : `${(hitRate * 100).toFixed(1)} %`,
  };
}

/** The page's numbers equal the API's, allowing the page up to a few refreshes to catch up. */
async function expectPoolsMatchApi(page: Page, url: string): Promise<void> {
  let mismatch = '';
  for (const deadline = Date.now() + UI_TIMEOUT; Date.now() < deadline;) {
    const api = await pools(url);
    mismatch = '';
    for (const [name, pool] of Object.entries(api)) {
      for (const [field, want] of Object.entries(expected(pool))) {
        const shown = await text(page, `pool-${name}-${field}`);
        if (shown !== want) mismatch += `pool-${name}-${field}: page ${shown}, API ${want}; `;
      }
    }
    if (mismatch === '') return;
    await page.waitForTimeout(250);
  }
  throw new Error(`dashboard differs from /api/v1/pools: ${mismatch}`);
}
