/**
 * The cost of each of OpenAI's speech formats through warmline: CPU seconds spent per second of audio (warmline
 * with its encoder processes, and the emulator, which makes Ogg Opus itself as the service does) and the time to
 * the first byte, one request at a time so the formats do not compete with each other.
 */
import { readFileSync } from 'node:fs';
import { summarize } from './stats';

export const SPEECH_FORMATS = ['pcm', 'wav', 'mp3', 'opus', 'flac', 'aac'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];

export interface FormatCost {
  format: SpeechFormat;
  requests: number;
  audioSeconds: number;
  /** CPU ms per audio second: warmline's process plus the encoder processes it ran (and reaped). */
  serviceCpuMsPerAudioSecond: number;
  /** The same for the emulator's process and its encoder processes. */
  emulatorCpuMsPerAudioSecond: number;
  firstByteMsP50: number;
  bytesPerAudioSecond: number;
}

/** CPU ms used so far by a process and its reaped children (Linux /proc: utime, stime, cutime, cstime). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of the full line; after "pid (comm) " they start at index 11.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function speak(
  url: string,
  text: string,
  format: SpeechFormat,
): Promise<{ firstByteMs: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: text, response_format: format }),
  });
  if (!response.ok || response.body === null) throw new Error(`${format}: HTTP ${response.status}`);
  let firstByteMs: number | null = null;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += (chunk as Uint8Array).length;
    if (bytes > 0) firstByteMs ??= performance.now() - started;
  }
  if (firstByteMs === null) throw new Error(`${format}: no audio`);
  return { firstByteMs, bytes };
}

/** Each format in turn: `requests` sequential requests over `texts`, CPU measured around them. */
export async function measureFormats(options: {
  url: string;
  servicePid: number;
  emulatorPid: number;
  texts: readonly string[];
  requests: number;
}): Promise<FormatCost[]> {
  const { url, texts, requests } = options;
  // Seconds of audio per text, from its 24 kHz 16-bit PCM.
  const seconds = new Map<string, number>();
  for (const text of texts) seconds.set(text, (await speak(url, text, 'pcm')).bytes / 48_000);
  const costs: FormatCost[] = [];
  for (const format of SPEECH_FORMATS) {
    await speak(url, texts[0], format); // warm-up: the first spawn of an encoder, JIT
    const service = cpuMs(options.servicePid);
    const emulator = cpuMs(options.emulatorPid);
    const firstBytes: number[] = [];
    let audioSeconds = 0;
    let bytes = 0;
    for (let i = 0; i < requests; i++) {
      const text = texts[i % texts.length];
      const result = await speak(url, text, format);
      firstBytes.push(result.firstByteMs);
      audioSeconds += seconds.get(text) ?? 0;
      bytes += result.bytes;
    }
    costs.push({
      format,
      requests,
      audioSeconds,
      serviceCpuMsPerAudioSecond: (cpuMs(options.servicePid) - service) / audioSeconds,
      emulatorCpuMsPerAudioSecond: (cpuMs(options.emulatorPid) - emulator) / audioSeconds,
      firstByteMsP50: summarize(firstBytes).p50,
      bytesPerAudioSecond: bytes / audioSeconds,
    });
  }
  return costs;
}
