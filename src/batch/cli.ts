import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { exitWith, runCommand } from '../cli/usage';
import { USAGE, parseBatchArgs, resumeCommand, type BatchArgs } from './batch-args';
import { renderProgress, type BatchProgress } from './batch-progress';
import { ScriptError, parseBatchScript } from './batch-script';
import { renderSummary } from './batch-summary';
import { ServerUnreachableError, runBatch } from './batch-runner';

/** Redraws on a terminal; elsewhere (logs, CI) prints a line every few seconds instead. */
const TTY_REDRAW_MS = 200;
const LOG_INTERVAL_MS = 5_000;

/**
 * `npm run batch -- script.txt --out ./audio --concurrency 8 [--url U] [--voice V] [--format F]`.
 * Ctrl-C stops cleanly (requests in flight are abandoned and their partial files removed) and prints how to
 * resume; a second Ctrl-C exits at once. Resolves with the exit code: 0 all voiced, 1 some failed, 2 usage or
 * script error, 130 stopped.
 */
export function runBatchCli(argv: readonly string[]): Promise<number> {
  return runCommand(
    argv,
    USAGE,
    (words) => parseBatchArgs(words, process.env),
    (args) => voice(args, argv),
  );
}

async function voice(args: BatchArgs, argv: readonly string[]): Promise<number> {
  let script;
  try {
    script = parseBatchScript(await readFile(args.script, 'utf8'), basename(args.script));
  } catch (error) {
    const message = error instanceof ScriptError ? error.message : (error as Error).message;
    console.error(`error: ${args.script}: ${message}`);
    return 2;
  }

  const stop = new AbortController();
  const onSigint = (): void => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping: abandoning requests in flight (Ctrl-C again to exit at once)\n');
    stop.abort(new Error('stopped by the user'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  const tty = process.stderr.isTTY === true;
  let latest: BatchProgress | null = null;
  const draw = (): void => {
    if (latest === null) return;
    if (tty) process.stderr.write(`\r\x1b[2K${renderProgress(latest)}`);
    else process.stderr.write(`${renderProgress(latest)}\n`);
  };
  const ticker = setInterval(draw, tty ? TTY_REDRAW_MS : LOG_INTERVAL_MS);
  console.log(
    `voicing ${script.items.length} utterance(s) from ${args.script} into ${args.out} ` +
      `(${args.format}, ${args.concurrency} at a time, ${args.url})`,
  );
  try {
    let report;
    try {
      report = await runBatch({ args, script, signal: stop.signal, onProgress: (p) => (latest = p) });
    } catch (error) {
      if (!(error instanceof ServerUnreachableError)) throw error;
      console.error(`error: ${error.message}`);
      return 1;
    }
    clearInterval(ticker);
    draw();
    if (tty) process.stderr.write('\n');
    console.log(`\n${renderSummary(report)}`);
    if (report.stopped) {
      console.log(
        `\nstopped: ${report.done + report.skipped} file(s) are complete in ${args.out}. ` +
          `Resume with:\n  ${resumeCommand(argv)}`,
      );
      return 130;
    }
    if (report.failed.length > 0 || report.gaveUp !== null) {
      console.log(`\nrun the same command again to retry the failed utterances:\n  ${resumeCommand(argv)}`);
      return 1;
    }
    return 0;
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

if (require.main === module) exitWith(runBatchCli(process.argv.slice(2)));
