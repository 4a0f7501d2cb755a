import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClient } from '../src/client/cli';
import { startVoiceApp, type VoiceApp } from './support/app/voice-harness';

jest.setTimeout(60_000);

describe('npm run client (the CLI voice client, e2e)', () => {
  let v: VoiceApp;
  let dir: string;
  const lines: string[] = [];
  const errors: string[] = [];
  const out = { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) };

  beforeAll(async () => {
    v = await startVoiceApp({ voice: { apiKeys: ['cli-key'] } });
    dir = await mkdtemp(join(tmpdir(), 'warmline-client-'));
  });
  afterEach(() => {
    lines.length = 0;
    errors.length = 0;
  });
  afterAll(async () => {
    await v.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('synthesizes, writes a WAV file, prints tier and timings, and exits 0', async () => {
    const file = join(dir, 'hello.wav');
    const code = await runClient(
      [
        'Hello from the command line',
        '--url',
        v.url,
        '--token',
        'cli-key',
        '--format',
        'pcm-16k',
        '--out',
        file,
      ],
      out,
    );
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^tier warm, first byte [\d.]+ ms, total [\d.]+ ms .* 16 kHz -> /),
    ]);
    const wav = await readFile(file);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(wav.length - 44).toBeGreaterThan(16_000); // over half a second of speech
  });

  it('reports a refused handshake and exits 1', async () => {
    const code = await runClient(
      ['hi', '--url', v.url, '--token', 'wrong', '--out', join(dir, 'no.wav')],
      out,
    );
    expect(code).toBe(1);
    expect(errors).toEqual([expect.stringContaining('UNAUTHORIZED')]);
  });

  it('reports a service error with its code and exits 1', async () => {
    const code = await runClient(['hi', '--url', v.url, '--token', 'cli-key', '--voice', 'bad voice!'], out);
    expect(code).toBe(1);
    expect(errors).toEqual([expect.stringMatching(/^error: BAD_REQUEST: voice: /)]);
  });

  it('prints usage for bad arguments and exits 2, before connecting', async () => {
    expect(await runClient(['hi', '--url', v.url, '--loud'], out)).toBe(2);
    expect(errors).toEqual([
      expect.stringMatching(/^error: Unknown option '--loud'[\s\S]*\n\nusage: npm run client/),
    ]);
    expect(lines).toEqual([]);
  });

  it('prints usage for --help and exits 0', async () => {
    expect(await runClient(['--help'], out)).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^usage: npm run client/)]);
    expect(errors).toEqual([]);
  });
});
