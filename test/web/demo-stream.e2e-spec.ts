import type { Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { chromiumAvailability, launchChromium, type Chromium } from '../support/web/chromium';
import { PageWatch } from '../support/web/page-watch';
import { screenshot } from '../support/web/screenshots';
import { startWebApp, type WebApp } from '../support/web/web-app';
import { ensureWebBundle } from '../support/web/web-bundle';

jest.setTimeout(90_000);

const KEY = 'stream-test-key-0123';
const REPLY =
  'Sure, I can help with that. Your order shipped this morning and should arrive on Friday. ' +
  'Is there anything else I can do for you today?';
/** Bounds a failure, not a speed. */
const UI_TIMEOUT = 20_000;

const browserTests = chromiumAvailability().ok ? describe : describe.skip;

interface DemoWindow {
  warmline: {
    playedMs(): number;
    playback: { chunksScheduled: number; chunksPlayed: number };
    stream: { piecesWritten: number; piecesAtFirstAudio: number };
  };
}
// The page's globals, for the callbacks of page.evaluate and waitForFunction (which run in the page).
declare const window: DemoWindow;
declare const document: {
  querySelector(selector: string): { dataset: Record<string, string | undefined> } | null;
  querySelectorAll(
    selector: string,
  ): ArrayLike<{ textContent: string | null; dataset: Record<string, string | undefined> }>;
};

/** The caption words with their offsets, and the one marked as being heard, read in one go in the page. */
function captionState(page: Page) {
  return page.evaluate(() => {
    const words = Array.from(document.querySelectorAll('[data-testid=captions] .caption-word')).map((w) => ({
      text: w.textContent ?? '',
      offsetMs: Number(w.dataset.offsetMs),
    }));
    const current = document.querySelector('[data-testid=captions] [aria-current=true]');
    return {
      words,
      current: current === null ? null : Number(current.dataset.offsetMs),
      playedMs: window.warmline.playedMs(),
    };
  });
}

browserTests('the demo speaking for an agent: stream mode, captions, Stop with playedMs (Chromium)', () => {
  let emulator: RunningEmulator;
  let web: WebApp;
  let browser: Chromium;
  let watch: PageWatch;
  let page: Page;

  beforeAll(async () => {
    const [started] = await Promise.all([startEmulator({ port: 0, voice: 'synthetic' }), ensureWebBundle()]);
    emulator = started;
    web = await startWebApp({
      AZURE_SPEECH_HOST: emulator.url,
      AZURE_SPEECH_KEY: 'test-key',
      VOICE_API_KEYS: KEY,
      LOG_LEVEL: 'warn',
    });
    browser = await launchChromium();
    watch = await PageWatch.on(browser.context);
    page = watch.page(await browser.context.newPage());
    await page.goto(`${web.url}/`);
    await page.getByTestId('token').fill(KEY);
    await page.getByTestId('token').press('Enter');
    await page.getByTestId('status').filter({ hasText: 'connected' }).waitFor({ timeout: UI_TIMEOUT });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await emulator?.close();
  });

  it('stream mode feeds the text word by word; audio starts before the text is complete; captions follow the audio clock', async () => {
    // Paced like the real service, so playback and captions take real time.
    emulator.setFaults({ realtimeFactor: 1 });
    await page.getByTestId('text').fill(REPLY);
    await page.getByTestId('stream').check();
    await page.getByTestId('stream-rate').fill('4');
    await page.getByTestId('speak').click();

    await page.waitForFunction(() => window.warmline.playback.chunksScheduled > 0, undefined, {
      timeout: UI_TIMEOUT,
    });
    const { piecesAtFirstAudio } = await page.evaluate(() => window.warmline.stream);
    const totalPieces = REPLY.split(' ').length;
    expect(piecesAtFirstAudio).toBeGreaterThan(0);
    expect(piecesAtFirstAudio).toBeLessThan(totalPieces);

    // While it plays, the word marked is the last one whose start the audio clock has passed.
    await page.waitForFunction(
      () => document.querySelector('[data-testid=captions] [aria-current=true]') !== null,
      undefined,
      { timeout: UI_TIMEOUT },
    );
    for (let i = 0; i < 3; i++) {
      const state = await captionState(page);
      expect(state.current).not.toBeNull();
      expect(state.current!).toBeLessThanOrEqual(state.playedMs);
      const after = state.words.find((w) => w.offsetMs > state.current!);
      // The next word had not started when the mark was set (one frame of slack: the page moves it every frame).
      if (after !== undefined) expect(after.offsetMs).toBeGreaterThan(state.playedMs - 100);
      await page.waitForTimeout(300);
    }
    await screenshot(page, 'demo-stream-captions');
    await page
      .getByTestId('tier')
      .filter({ hasText: /^(warm|dedicated|cold)$/ })
      .waitFor({ timeout: 60_000 });
    const caption = (await page.getByTestId('captions').innerText()).replace(/\s+/g, ' ').trim();
    expect(caption).toBe(REPLY.replace(/[,.?]/g, ''));
    emulator.setFaults({});
  });

  it('Stop sends the player’s real position: what was heard is the words before it, not all that was sent', async () => {
    // Unpaced: the whole answer arrives in a moment while it takes seconds to play.
    emulator.setFaults({});
    await page.getByTestId('stream').uncheck();
    await page.getByTestId('text').fill(REPLY);
    await page.getByTestId('speak').click();
    await page
      .getByTestId('tier')
      .filter({ hasText: /^(warm|dedicated|cold)$/ })
      .waitFor({ timeout: UI_TIMEOUT });
    await page.waitForFunction(() => window.warmline.playedMs() > 1_200, undefined, { timeout: UI_TIMEOUT });
    await page.getByTestId('stop').click();
    await page.getByTestId('heard').filter({ hasText: /\w/ }).waitFor({ timeout: UI_TIMEOUT });

    const playedMs = Number(await page.getByTestId('heard').getAttribute('data-played-ms'));
    expect(playedMs).toBeGreaterThan(1_200);
    const { words } = await captionState(page);
    const lastOffset = words[words.length - 1].offsetMs;
    expect(playedMs).toBeLessThan(lastOffset); // far from all of it: the rest had been sent, not played
    const expected = words
      .filter((w) => w.offsetMs < playedMs)
      .map((w) => w.text)
      .join(' ');
    expect(await page.getByTestId('heard').innerText()).toBe(expected);
    expect(await page.evaluate(() => window.warmline.playedMs())).toBeCloseTo(playedMs, -2); // stopped there
    await screenshot(page, 'demo-stream-heard');
  });

  it('logged no console errors and sent nothing off this machine', () => {
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.offLoopback).toEqual([]);
  });
});
