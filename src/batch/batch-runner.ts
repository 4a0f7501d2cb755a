import { HTTP_AUDIO_FORMATS } from '../http-api/http-audio-formats';
import type { BatchArgs } from './batch-args';
import type { BatchProgress } from './batch-progress';
import type { BatchItem, BatchScript } from './batch-script';
import type { BatchReport } from './batch-summary';
import { OutputFiles } from './output-files';
import { DEFAULT_RETRY_POLICY, retryDelayMs, sleep, type RetryPolicy } from './retry-policy';
import { AttemptError, requestSpeechFile } from './speech-file-request';

export interface BatchRunInput {
  args: BatchArgs;
  script: BatchScript;
  /** Aborting stops the run: requests in flight are abandoned (their partial files removed), no new ones start. */
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  retryPolicy?: RetryPolicy;
}

/**
 * Voices every item of a script with `concurrency` requests at a time. A retryable failure (the problem
 * document says so, or the connection or stream broke) is tried again after the server's Retry-After or an
 * exponential back-off, up to `maxAttempts`; anything else is reported with its reason. Items whose file is
 * already complete are skipped, so running the same command again resumes.
 */
export async function runBatch(input: BatchRunInput): Promise<BatchReport> {
  const { args, script, signal } = input;
  const policy = input.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const files = new OutputFiles(args.out, HTTP_AUDIO_FORMATS[args.format].extension);
  await files.prepare();
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
        });
        report.done += 1;
        report.audioSeconds += result.audioSeconds;
        const tier = result.tier ?? 'unknown';
        report.tiers[tier] = (report.tiers[tier] ?? 0) + 1;
        return;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const failure = error instanceof AttemptError ? error : new AttemptError(String(error), false);
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
  report.stopped = signal.aborted;
  report.notStarted += script.items.length - next;
  report.elapsedMs = performance.now() - started;
  return report;
}
