/** The speech emulator for benchmarks, in this process or a child one, behind one async interface. */
import { join } from 'node:path';
import { startEmulator, type EmulatorStats, type FaultSettings } from '../../src/emulator';
import { forkTs } from './child';

export interface BenchEmulator {
  /** `ws://127.0.0.1:PORT` for `SpeechConfig.fromHost` / `AZURE_SPEECH_HOST`. */
  url: string;
  httpUrl: string;
  /** `in-process` or `child process`: every report says which. */
  where: string;
  /** The process the emulator runs in. */
  pid: number;
  stats(): Promise<EmulatorStats>;
  setFaults(faults: Partial<FaultSettings>): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Talks to any running emulator through its HTTP control plane (src/emulator/README.md). */
function controlPlane(httpUrl: string) {
  const request = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${path}: HTTP ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  return {
    stats: async () => (await request('/emulator/stats')) as EmulatorStats,
    setFaults: async (faults: Partial<FaultSettings>) => void (await request('/emulator/faults', faults)),
    reset: async () => void (await request('/emulator/reset', {})),
  };
}

export async function startBenchEmulator(mode: 'in-process' | 'child' = 'child'): Promise<BenchEmulator> {
  if (mode === 'in-process') {
    const emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    return {
      url: emulator.url,
      httpUrl: emulator.httpUrl,
      where: 'in-process',
      pid: process.pid,
      stats: () => Promise.resolve(emulator.stats()),
      setFaults: (faults) => Promise.resolve(emulator.setFaults(faults)),
      reset: () => Promise.resolve(emulator.reset()),
      close: () => emulator.close(),
    };
  }
  const child = await forkTs<{ url: string; httpUrl: string }>(join(__dirname, 'emulator-child.ts'));
  return {
    ...child.info,
    where: 'child process',
    pid: child.process.pid ?? -1,
    ...controlPlane(child.info.httpUrl),
    close: () => child.stop(),
  };
}
