import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { badRequest } from '../synthesis/error-body';

/**
 * The formats warmline encodes itself from the synthesizer's 16-bit PCM, each with Debian's maintained encoder
 * run as a child process that reads PCM on stdin and writes the file to stdout as it goes:
 * - flac: the reference encoder (`flac`, Debian package flac), level 5. The stream is written without seeking
 *   back, so its STREAMINFO says "length unknown", which every decoder accepts.
 * - aac: FFmpeg's native AAC-LC encoder (`ffmpeg`, Debian package ffmpeg) in ADTS framing, 64 kbit/s mono, each
 *   packet written as soon as it is encoded.
 */
export type EncodedFormat = 'flac' | 'aac';

interface EncoderCommand {
  binary: string;
  /** Prints the version and exits 0: how we learn the binary can run here. */
  versionFlag: string;
  args: (sampleRate: number) => string[];
  debianPackage: string;
}

const COMMANDS: Readonly<Record<EncodedFormat, EncoderCommand>> = {
  flac: {
    binary: 'flac',
    versionFlag: '--version',
    debianPackage: 'flac',
    args: (rate) => [
      '--silent',
      '--force-raw-format',
      '--endian=little',
      '--sign=signed',
      '--channels=1',
      '--bps=16',
      `--sample-rate=${rate}`,
      '-5',
      '--stdout',
      '-',
    ],
  },
  aac: {
    binary: 'ffmpeg',
    versionFlag: '-version',
    debianPackage: 'ffmpeg',
    args: (rate) =>
      [
        ['-hide_banner', '-nostdin', '-loglevel', 'error'],
        // The input's format is given: no probing, which would hold the first packet back for seconds.
        ['-probesize', '32', '-analyzeduration', '0'],
        ['-f', 's16le', '-ar', String(rate), '-ac', '1', '-i', 'pipe:0'],
        ['-c:a', 'aac', '-b:a', '64k', '-flush_packets', '1', '-f', 'adts', 'pipe:1'],
      ].flat(),
  },
};

/** A binary's check runs at most once per process: installing one needs a restart. */
const available = new Map<string, Promise<boolean>>();

function probe(binary: string, versionFlag: string): Promise<boolean> {
  let known = available.get(binary);
  if (known === undefined) {
    known = new Promise<boolean>((resolve) => {
      const child = spawn(binary, [versionFlag], { stdio: 'ignore' });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
    });
    available.set(binary, known);
  }
  return known;
}

/** Refuses (400) a format whose encoder this machine lacks, before anything is synthesized. */
export async function checkEncoderInstalled(format: EncodedFormat): Promise<void> {
  const { binary, versionFlag, debianPackage } = COMMANDS[format];
  if (!(await probe(binary, versionFlag))) {
    throw badRequest(
      `${format} output needs the ${binary} encoder (Debian package ${debianPackage}), which this server lacks`,
    );
  }
}

export interface EncoderEvents {
  data: (chunk: Buffer) => void;
  /** Once: after the last data (error undefined) or on a failure. */
  end: (error?: Error) => void;
}

/** One running encoder: PCM in, the file out. Ends exactly once (finished, failed, or destroyed). */
export class PcmEncoderProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private ended = false;
  private stderr = '';

  constructor(
    format: EncodedFormat,
    sampleRate: number,
    private readonly events: EncoderEvents,
  ) {
    const { binary, args } = COMMANDS[format];
    this.child = spawn(binary, args(sampleRate), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      if (!this.ended) this.events.data(chunk);
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 1000) this.stderr += chunk.toString();
    });
    // An encoder that dies closes stdin under us; 'close' below says why.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => this.finish(error));
    this.child.on('close', (code, signal) =>
      this.finish(
        code === 0
          ? undefined
          : new Error(`${binary} exited with ${code ?? signal}: ${this.stderr.trim().slice(0, 300)}`),
      ),
    );
  }

  write(pcm: Buffer): void {
    if (!this.ended) this.child.stdin.write(pcm);
  }

  /** No more PCM: the encoder writes its tail, then `end` fires. */
  close(): void {
    if (!this.ended) this.child.stdin.end();
  }

  /** PCM written but not yet taken by the encoder. */
  pendingBytes(): number {
    return this.child.stdin.writableLength;
  }

  /** Stops at once (the request failed or its client left); `end` does not fire. */
  destroy(): void {
    if (this.ended) return;
    this.ended = true;
    this.child.kill('SIGKILL');
  }

  private finish(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.events.end(error);
  }
}
