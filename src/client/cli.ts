import { writeFile } from 'node:fs/promises';
import { exitWith, runCommand, type CliOutput } from '../cli/usage';
import { toWav } from '../speech/wav-header';
import { USAGE, parseClientArgs, sampleRateOf, type ClientArgs } from './cli-args';
import { VoiceClient } from './voice-client';
import { VoiceError } from './voice-error';

/**
 * `npm run client -- "some text" [--url U] [--token T] [--voice V] [--format F] [--out FILE] [--timeout S]`:
 * synthesizes through a running service, writes a WAV file, prints the tier and timings. Resolves with the exit
 * code: 0 written, 1 the service or the connection failed, 2 a bad command line.
 */
export function runClient(argv: readonly string[], out: CliOutput = console): Promise<number> {
  return runCommand(argv, USAGE, parseClientArgs, (args) => speak(args, out), out);
}

async function speak(args: ClientArgs, out: CliOutput): Promise<number> {
  const started = performance.now();
  let client: VoiceClient | null = null;
  try {
    client = await VoiceClient.connect({
      url: args.url,
      token: args.token,
      connectTimeoutMs: args.timeoutMs,
      ackTimeoutMs: args.timeoutMs,
    });
    const stream = client.stream({
      text: args.text,
      format: args.format,
      ...(args.voice === undefined ? {} : { voice: args.voice }),
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) chunks.push(chunk.audio);
    const ack = await stream.result;
    const rate = sampleRateOf(args.format);
    await writeFile(args.out, toWav(Buffer.concat(chunks), rate));
    const seconds = (ack.bytes / 2 / rate).toFixed(2);
    const firstByte = ack.firstByteMs === null ? 'n/a' : `${ack.firstByteMs} ms`;
    out.log(
      `tier ${ack.tier ?? 'none'}, first byte ${firstByte}, total ${ack.totalMs} ms ` +
        `(${Math.round(performance.now() - started)} ms with connect), ${ack.bytes} bytes = ${seconds} s at ` +
        `${rate / 1000} kHz -> ${args.out}`,
    );
    return 0;
  } catch (error) {
    out.error(
      error instanceof VoiceError ? `error: ${error.code}: ${error.message}` : `error: ${String(error)}`,
    );
    return 1;
  } finally {
    client?.close();
  }
}

if (require.main === module) exitWith(runClient(process.argv.slice(2)));
