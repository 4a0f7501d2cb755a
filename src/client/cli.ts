import { writeFile } from 'node:fs/promises';
import { USAGE, UsageError, parseClientArgs, sampleRateOf } from './cli-args';
import { RemoteSynthesisError, synthesizeRemotely } from './remote-synthesis';
import { toWav } from '../speech/wav-header';

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

/**
 * `npm run client -- "some text" [--url U] [--token T] [--voice V] [--format F] [--out FILE]`: synthesizes through a
 * running service, writes a WAV file, prints the tier and timings. Resolves with the exit code.
 */
export async function runClient(argv: readonly string[], out: CliOutput = console): Promise<number> {
  let args;
  try {
    args = parseClientArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(`error: ${error.message}\n\n${USAGE}`);
    return 1;
  }
  if (args === 'help') {
    out.log(USAGE);
    return 0;
  }
  try {
    const result = await synthesizeRemotely(args);
    const rate = sampleRateOf(args.format);
    await writeFile(args.out, toWav(result.audio, rate));
    const seconds = (result.bytes / 2 / rate).toFixed(2);
    const firstByte = result.firstByteMs === null ? 'n/a' : `${result.firstByteMs} ms`;
    out.log(
      `tier ${result.tier}, first byte ${firstByte}, total ${result.totalMs} ms ` +
        `(${Math.round(result.wallMs)} ms with connect), ${result.bytes} bytes = ${seconds} s at ${rate / 1000} kHz` +
        ` -> ${args.out}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof RemoteSynthesisError) out.error(`error: ${error.code}: ${error.message}`);
    else out.error(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void runClient(process.argv.slice(2)).then((code) => process.exit(code));
}
