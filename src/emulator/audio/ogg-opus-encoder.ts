import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { pcm16ToBytes } from './wav-header';

/**
 * Ogg Opus, as the service's `ogg-*-opus` formats send it, made by opusenc (Xiph's reference encoder, Debian
 * package opus-tools) run as a child process: PCM in on stdin, the Ogg stream out on stdout as pages fill.
 */
const BINARY = 'opusenc';
/**
 * opusenc writes through C stdio, which holds a pipe's output until 4 KiB have gathered: a second of audio at
 * 32 kbit/s. coreutils' stdbuf turns that buffering off, so each page leaves when it is complete.
 */
const UNBUFFERED = ['stdbuf', '-o0', BINARY] as const;
/** Pages leave at least every this many ms, so a streamed answer does not wait for a full page. */
const MAX_PAGE_DELAY_MS = 100;

let installed: boolean | undefined;

/** Whether opusenc can be run here; asked once. */
export function oggOpusAvailable(): boolean {
  installed ??=
    spawnSync(UNBUFFERED[0], [...UNBUFFERED.slice(1), '--version'], { stdio: 'ignore', timeout: 5_000 })
      .status === 0;
  return installed;
}

/**
 * A streaming mono Ogg Opus encoder: feed PCM chunks, send what has come out so far (nothing at first), then
 * `flush` for the rest once the encoder has finished. `dispose` stops it at once, whatever state it is in.
 */
export class OggOpusEncoder {
  private readonly child: ChildProcessWithoutNullStreams;
  private out: Buffer[] = [];
  private readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(sampleRate: number, kbps: number) {
    this.child = spawn(
      UNBUFFERED[0],
      [
        UNBUFFERED.slice(1),
        ['--quiet', '--raw', '--raw-bits', '16', '--raw-chan', '1', '--raw-rate', String(sampleRate)],
        ['--bitrate', String(kbps), '--max-delay', String(MAX_PAGE_DELAY_MS), '-', '-'],
      ].flat(),
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child.stdout.on('data', (chunk: Buffer) => this.out.push(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 1000) this.stderr += chunk.toString();
    });
    this.child.stdin.on('error', () => undefined); // an early exit: 'close' tells
    this.exited = new Promise((resolve) => {
      this.child.on('error', () => resolve(null));
      this.child.on('close', (code) => resolve(code));
    });
  }

  encode(samples: Int16Array): Buffer {
    if (this.child.stdin.writable) this.child.stdin.write(pcm16ToBytes(samples));
    return this.take();
  }

  async flush(): Promise<Buffer> {
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`${BINARY} failed (${code}): ${this.stderr.trim().slice(0, 200)}`);
    return this.take();
  }

  dispose(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private take(): Buffer {
    const bytes = Buffer.concat(this.out);
    this.out = [];
    return bytes;
  }
}
