import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package; the browser tests drive it, never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, offline, throw-away browser: nothing it does may leave the machine. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Whether the browser tests can run. Without chromium they are skipped with the reason printed, except on CI
 * (`CI=true`), where a missing browser is a failure: the suite must not pass by testing nothing.
 */
export function chromiumAvailability(): { ok: true } | { ok: false; reason: string } {
  if (existsSync(CHROMIUM_PATH)) return { ok: true };
  const reason = `${CHROMIUM_PATH} not found (install Debian's chromium package)`;
  if (process.env.CI === 'true') throw new Error(`browser tests cannot run on CI: ${reason}`);
  console.warn(`web pages browser tests SKIPPED: ${reason}`);
  return { ok: false, reason };
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium with a fresh user-data-dir (removed on close) and any extra flags. */
export async function launchChromium(extraFlags: string[] = []): Promise<Chromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'warmline-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...FLAGS, ...extraFlags],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
