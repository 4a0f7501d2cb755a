import { spawn } from 'node:child_process';

/** What `espeak-ng --voices` says is installed. */
export interface EspeakInstallation {
  binary: string;
  /** Lower-case language codes with a voice, e.g. `en-us`, `de`. */
  languages: Set<string>;
}

const DETECT_TIMEOUT_MS = 5_000;
const SPEAK_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function run(binary: string, args: string[], input: string | undefined, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`${binary} exited with ${code}: ${stderr.trim()}`));
    });
    // An early exit closes stdin under us; the 'close' handler reports the real problem.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Undefined when espeak-ng cannot be run (not installed, not on PATH, broken). */
export async function detectEspeak(binary = 'espeak-ng'): Promise<EspeakInstallation | undefined> {
  try {
    const out = (await run(binary, ['--voices'], undefined, DETECT_TIMEOUT_MS)).toString('utf8');
    const languages = new Set<string>();
    for (const line of out.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length >= 2) languages.add(columns[1].toLowerCase());
    }
    return { binary, languages };
  } catch {
    return undefined;
  }
}

/** Speaks `text` with espeak-ng and returns its WAV output (22050 Hz, 16-bit mono). */
export function speakToWav(
  binary: string,
  voice: string,
  wordsPerMinute: number,
  text: string,
): Promise<Buffer> {
  // -b 1: UTF-8 input from stdin, so no text ever reaches the command line.
  return run(
    binary,
    ['--stdout', '-b', '1', '-v', voice, '-s', String(wordsPerMinute)],
    text,
    SPEAK_TIMEOUT_MS,
  );
}
