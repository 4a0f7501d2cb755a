import { expect } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../emulator';
import { VoiceCatalog } from './voice-catalog';

describe('VoiceCatalog (the voices/list route of the emulator)', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it('lists the upstream voices and knows them by short or long name, in any case', async () => {
    const catalog = new VoiceCatalog({ target: { kind: 'host', url: emulator.url, key: 'k' } });
    expect(catalog.has('en-US-JennyNeural')).toBeUndefined();
    expect(catalog.list()).toEqual([]);
    await expect(catalog.load()).resolves.toMatchObject({ status: 'loaded' });
    expect(catalog.has('en-US-JennyNeural')).toBe(true);
    expect(catalog.has('en-us-jennyneural')).toBe(true);
    expect(catalog.has('Microsoft Server Speech Text to Speech Voice (en-GB, RyanNeural)')).toBe(true);
    expect(catalog.has('xx-XX-Nobody')).toBe(false);
    const voices = catalog.list();
    expect(voices).toContainEqual({ name: 'en-GB-RyanNeural', locale: 'en-GB', gender: 'Male', styles: [] });
    expect(voices).toContainEqual({ name: 'en-US-AvaNeural', locale: 'en-US', gender: 'Female', styles: [] });
    expect(catalog.stylesOf('en-us-guyneural')).toContain('newscast');
    expect(catalog.stylesOf('en-US-AvaNeural')).toEqual([]);
    expect(catalog.stylesOf('xx-XX-Nobody')).toBeUndefined();
    expect(voices.map((v) => v.name)).toEqual(
      [...voices.map((v) => v.name)].sort((a, b) => a.localeCompare(b)),
    );
    expect(catalog.status).toEqual({ status: 'loaded', voices: voices.length });
  });

  it('lists the voices of a host reached without a key (no credential header at all)', async () => {
    const catalog = new VoiceCatalog({ target: { kind: 'host', url: emulator.url } });
    await expect(catalog.load()).resolves.toMatchObject({ status: 'loaded' });
    expect(catalog.has('en-US-JennyNeural')).toBe(true);
  });

  it('loads once', async () => {
    const catalog = new VoiceCatalog({ target: { kind: 'host', url: emulator.url, key: 'k' } });
    const first = catalog.load();
    expect(catalog.load()).toBe(first);
    await first;
  });

  it('a refused list leaves it unable to tell (has() undefined), without the key in the reason', async () => {
    emulator.setFaults({ requireKey: 'the-right-key' });
    const catalog = new VoiceCatalog({ target: { kind: 'host', url: emulator.url, key: 'a-wrong-key' } });
    const state = await catalog.load();
    expect(state).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('401') });
    expect(JSON.stringify(state)).not.toContain('a-wrong-key');
    expect(catalog.has('en-US-JennyNeural')).toBeUndefined();
    expect(catalog.list()).toEqual([]);
  });

  it('an upstream that never answers is given up on at the deadline', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const catalog = new VoiceCatalog({
        target: { kind: 'host', url: `ws://127.0.0.1:${port}`, key: 'k' },
        timeoutMs: 200,
      });
      await expect(catalog.load()).resolves.toMatchObject({
        status: 'unavailable',
        reason: expect.stringContaining('200 ms'),
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
