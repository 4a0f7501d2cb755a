import { oggOpusAvailable } from '../audio/ogg-opus-encoder';

/** What the emulator can answer for a `synthesis.audio.outputFormat` request. */
export interface SynthesisOutputFormat {
  name: string;
  sampleRate: number;
  encoding: 'pcm16' | 'mulaw' | 'alaw' | 'mp3' | 'opus';
  /** `riff-*`: a 44-byte WAV header precedes the samples (the SDK itself always asks for `raw-*`). */
  riffHeader: boolean;
  /** mp3: the constant bit rate in kbit/s; opus: the target bit rate. */
  kbps?: number;
}

/** The service's mp3 formats (mono, constant bit rate), as the SDK names them. */
const MP3_FORMATS = new Set([
  'audio-16khz-32kbitrate-mono-mp3',
  'audio-16khz-64kbitrate-mono-mp3',
  'audio-16khz-128kbitrate-mono-mp3',
  'audio-24khz-48kbitrate-mono-mp3',
  'audio-24khz-96kbitrate-mono-mp3',
  'audio-24khz-160kbitrate-mono-mp3',
  'audio-48khz-96kbitrate-mono-mp3',
  'audio-48khz-192kbitrate-mono-mp3',
]);

export const DEFAULT_OUTPUT_FORMAT = 'raw-16khz-16bit-mono-pcm';
const MIN_RATE = 8000;
const MAX_RATE = 48000;

function rateOf(value: string, khz: boolean): number {
  return khz ? Number(value) * 1000 : Number(value);
}

/**
 * Raw or RIFF 16-bit mono PCM at any rate from 8 to 48 kHz (8, 16, 24, 48 kHz and also 22050 Hz, 44.1 kHz),
 * 8 kHz mu-law/a-law, the service's mono mp3 formats, and its Ogg Opus formats (16, 24, 48 kHz) when opusenc is
 * installed. Other compressed formats (webm, amr, ...) are not produced: the caller ends the turn with close code
 * 1007, like the service does for a request it cannot serve, rather than send mislabeled audio.
 */
export function resolveOutputFormat(requested: string | undefined): SynthesisOutputFormat | undefined {
  const name = (requested ?? DEFAULT_OUTPUT_FORMAT).trim().toLowerCase();
  const pcm = /^(raw|riff)-(\d+)(khz|hz)-16bit-mono-pcm$/.exec(name);
  if (pcm) {
    const sampleRate = rateOf(pcm[2], pcm[3] === 'khz');
    if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) return undefined;
    return { name, sampleRate, encoding: 'pcm16', riffHeader: pcm[1] === 'riff' };
  }
  if (MP3_FORMATS.has(name)) {
    const [, khz, kbps] = /^audio-(\d+)khz-(\d+)kbitrate/.exec(name) as RegExpExecArray;
    return { name, sampleRate: Number(khz) * 1000, encoding: 'mp3', riffHeader: false, kbps: Number(kbps) };
  }
  const opus = /^ogg-(16|24|48)khz-16bit-mono-opus$/.exec(name);
  if (opus) {
    if (!oggOpusAvailable()) return undefined;
    // The service's Ogg Opus runs at about 32 kbit/s whatever the rate it is asked for.
    return { name, sampleRate: Number(opus[1]) * 1000, encoding: 'opus', riffHeader: false, kbps: 32 };
  }
  const g711 = /^(raw|riff)-8khz-8bit-mono-(mulaw|alaw)$/.exec(name);
  if (g711) {
    return { name, sampleRate: 8000, encoding: g711[2] as 'mulaw' | 'alaw', riffHeader: g711[1] === 'riff' };
  }
  return undefined;
}

/** The WAV header for `riff-*` output (data size unknown while streaming: the service writes 0 there too). */
export function riffHeaderFor(format: SynthesisOutputFormat, dataBytes: number): Buffer {
  const bytesPerSample = format.encoding === 'pcm16' ? 2 : 1;
  const formatTag = format.encoding === 'pcm16' ? 1 : format.encoding === 'alaw' ? 6 : 7;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatTag, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * bytesPerSample, 28);
  header.writeUInt16LE(bytesPerSample, 32);
  header.writeUInt16LE(bytesPerSample * 8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
