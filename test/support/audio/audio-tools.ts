import { spawnSync } from 'node:child_process';

/**
 * The Debian encoders the compressed speech formats need (flac, ffmpeg for aac, opusenc for the emulator's Ogg
 * Opus), and ffmpeg again as the decoder the tests check every file with.
 */
const TOOLS = [
  ['flac', 'flac', '--version'],
  ['ffmpeg', 'ffmpeg', '-version'],
  ['opusenc', 'opus-tools', '--version'],
] as const;

const missing = TOOLS.filter(
  ([binary, , flag]) => spawnSync(binary, [flag], { stdio: 'ignore', timeout: 10_000 }).status !== 0,
);

export const AUDIO_TOOLS_MISSING =
  missing.length === 0
    ? null
    : `${missing.map(([binary]) => binary).join(', ')} not on PATH: install the Debian packages ` +
      `${missing.map(([, pkg]) => pkg).join(' ')} to run these checks`;

/**
 * `describe` for tests that need the encoders and ffmpeg: skipped with the reason in its title when one is missing,
 * except in CI (CI=true), where a missing tool is itself a failing test.
 */
export function describeWithAudioTools(title: string, body: () => void): void {
  if (AUDIO_TOOLS_MISSING === null) return describe(title, body);
  if (process.env.CI === 'true') {
    return describe(title, () => {
      it('has the audio encoders (required in CI)', () => {
        throw new Error(AUDIO_TOOLS_MISSING ?? '');
      });
    });
  }
  describe.skip(`${title} (skipped: ${AUDIO_TOOLS_MISSING})`, body);
}

/** What ffmpeg makes of a file: its container/codec and its audio as 24 kHz 16-bit mono samples. */
export interface DecodedAudio {
  codec: string;
  sampleRate: number;
  pcm: Buffer;
}

/** Decodes `file` with ffmpeg (which refuses a file that is not valid of its kind). */
export function decodeWithFfmpeg(file: Buffer): DecodedAudio {
  const probe = spawnSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate', '-of', 'json', '-i', 'pipe:0'],
    { input: file, encoding: 'buffer', timeout: 30_000 },
  );
  if (probe.status !== 0) throw new Error(`ffprobe refused the file: ${probe.stderr.toString()}`);
  const stream = (
    JSON.parse(probe.stdout.toString()) as { streams: { codec_name: string; sample_rate: string }[] }
  ).streams[0];
  const decode = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '24000', 'pipe:1'],
    { input: file, maxBuffer: 64 * 1024 * 1024, timeout: 30_000 },
  );
  if (decode.status !== 0) throw new Error(`ffmpeg could not decode the file: ${decode.stderr.toString()}`);
  return { codec: stream.codec_name, sampleRate: Number(stream.sample_rate), pcm: decode.stdout };
}
