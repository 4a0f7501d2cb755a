import { HTTP_AUDIO_FORMATS } from '../http-api/http-audio-formats';
import type { BatchArgs } from './batch-args';
import type { BatchProgress } from './batch-progress';
import type { BatchItem, BatchScript } from './batch-script';
import type { BatchReport } from './batch-summary';
import { OutputFiles } from './output-files';
import { DEFAULT_RETRY_POLICY, retryDelayMs, sleep, type RetryPolicy } from './retry-policy';
import { probeServer } from './server-probe';
import { AttemptError, requestSpeechFile } from './speech-file-request';

/** Nobody answering at the address for this long (across all workers, no success between) ends the run. */
export const UNREACHABLE_GIVE_UP_MS = 5_000;

/** The server did not answer the check before the run: nothing was attempted. */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
}

export interface BatchRunInput {
  args: BatchArgs;
  script: BatchScript;
  /** Aborting stops the run: requests in flight are abandoned (their partial files removed), no new ones start. */
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  retryPolicy?: RetryPolicy;
  /** How long refused connections may last before the run gives up; default UNREACHABLE_GIVE_UP_MS. */
  unreachableGiveUpMs?: number;
}

/**
 * Voices every item of a script with `concurrency` requests at a time. A retryable failure (the problem
 * document says so, or the connection or stream broke) is tried again after the server's Retry-After or an
 * exponential back-off, up to `maxAttempts`; anything else is reported with its reason. Items whose file is
 * already complete are skipped, so running the same command again resumes.
 */
export async function runBatch(input: BatchRunInput): Promise<BatchReport> {
  const { args, script } = input;
  const policy = input.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const giveUpMs = input.unreachableGiveUpMs ?? UNREACHABLE_GIVE_UP_MS;
  // Checked once before anything else: a server that is not there is one message, not a line per utterance.
  const problem = await probeServer(args.url, input.signal);
  if (problem !== null) throw new ServerUnreachableError(problem);
  const files = new OutputFiles(args.out, HTTP_AUDIO_FORMATS[args.format].extension);
  await files.prepare(new Set(script.items.map((item) => item.id)));
  // Stopped by the user (input.signal) or because the server went away.
  const run = new AbortController();
  const stopRun = (): void => run.abort(input.signal.reason);
  input.signal.addEventListener('abort', stopRun, { once: true });
  const signal = run.signal;
  let unreachableSince: number | null = null;
  const started = performance.now();
  const report: BatchReport = {
    total: script.items.length + script.problems.length,
    done: 0,
    skipped: 0,
    failed: [...script.problems],
    notStarted: 0,
    audioSeconds: 0,
    tiers: {},
    retries: 0,
    elapsedMs: 0,
    stopped: false,
    gaveUp: null,
  };
  let inFlight = 0;
  let retrying = 0;
  const progress = (): BatchProgress => ({
    total: report.total,
    done: report.done,
    skipped: report.skipped,
    failed: report.failed.length,
    inFlight,
    retrying,
    audioSeconds: report.audioSeconds,
    elapsedMs: performance.now() - started,
  });
  const changed = (): void => input.onProgress?.(progress());

  const voice = async (item: BatchItem): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await requestSpeechFile({
          url: args.url,
          token: args.token,
          id: item.id,
          text: item.text,
          voice: item.voice ?? args.voice,
          format: args.format,
          files,
          signal,
          maxBytes: args.maxFileBytes,
        });
        unreachableSince = null;
        report.done += 1;
        report.audioSeconds += result.audioSeconds;
        const tier = result.tier ?? 'unknown';
        report.tiers[tier] = (report.tiers[tier] ?? 0) + 1;
        return;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const failure = error instanceof AttemptError ? error : new AttemptError(String(error), false);
        if (failure.unreachable) {
          const now = performance.now();
          unreachableSince ??= now;
          if (now - unreachableSince >= giveUpMs) {
            report.failed.push({ id: item.id, reason: failure.message });
            report.gaveUp ??= `nobody answered at ${args.url} for ${Math.round((now - unreachableSince) / 1000)} s`;
            run.abort(new Error(report.gaveUp));
            return;
          }
        } else unreachableSince = null;
        if (!failure.retryable || attempt >= args.maxAttempts) {
          const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
          report.failed.push({ id: item.id, reason: `${failure.message}${tries}` });
          return;
        }
        report.retries += 1;
        retrying += 1;
        changed();
        try {
          await sleep(retryDelayMs(attempt, failure.retryAfterMs, policy), signal);
        } finally {
          retrying -= 1;
        }
      }
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < script.items.length) {
      const item = script.items[next++];
      if (await files.isComplete(item.id)) {
        report.skipped += 1;
        changed();
        continue;
      }
      inFlight += 1;
      changed();
      try {
        await voice(item);
      } catch (error) {
        if (!signal.aborted) throw error;
        report.notStarted += 1; // abandoned mid-request: its partial file is gone, it starts over next run
      } finally {
        inFlight -= 1;
        changed();
      }
    }
  };

  changed();
  await Promise.all(
    Array.from({ length: Math.min(args.concurrency, Math.max(1, script.items.length)) }, worker),
  );
  input.signal.removeEventListener('abort', stopRun);
  report.stopped = input.signal.aborted;
  report.notStarted += script.items.length - next;
  report.elapsedMs = performance.now() - started;
  return report;
}
