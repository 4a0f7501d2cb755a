import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { terminalText } from '../cli/terminal-text';
import type { HttpTtsFormat } from '../http-api/http-audio-formats';
import { AudioMeter } from './audio-meter';
import type { OutputFiles } from './output-files';
import { parseRetryAfter } from './retry-policy';

/** Errors of a connection that found nobody there (as opposed to one that broke). */
const NOBODY_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * One attempt that did not produce a file. `retryable` says whether trying again can help; `unreachable` that
 * no server answered at the address at all (the run gives up soon when that lasts).
 */
export class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

export interface SpeechFileRequest {
  url: string;
  token: string | undefined;
  id: string;
  text: string;
  voice: string | undefined;
  format: HttpTtsFormat;
  files: OutputFiles;
  signal: AbortSignal;
  /** Largest audio file accepted; a longer answer is cut off and fails (not retried). */
  maxBytes: number;
}

export interface SpeechFileResult {
  tier: string | null;
  firstByteMs: number | null;
  audioSeconds: number;
  bytes: number;
}

/**
 * POSTs one utterance to /api/v1/tts and streams the audio into the item's file (temporary name, renamed when
 * complete). Throws AttemptError for anything that should be reported or retried, and the signal's reason when
 * the run is being stopped.
 */
export async function requestSpeechFile(request: SpeechFileRequest): Promise<SpeechFileResult> {
  // Ours to abort as well: an answer over the size cap is cut off.
  const download = new AbortController();
  const onAbort = (): void => download.abort(request.signal.reason);
  request.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await downloadSpeechFile(request, download);
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    download.abort(); // whatever is left of the answer is not read
  }
}

async function downloadSpeechFile(
  request: SpeechFileRequest,
  download: AbortController,
): Promise<SpeechFileResult> {
  const { url, token, text, voice, format, signal, maxBytes } = request;
  const tooLarge = (): AttemptError =>
    new AttemptError(`the audio is larger than the --max-size cap (${maxBytes / 1024 / 1024} MiB)`, false);
  let response: Response;
  try {
    response = await fetch(`${url}/api/v1/tts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(voice === undefined ? { text, format } : { text, voice, format }),
      signal: download.signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // The service is unreachable or restarting: worth another try.
    throw new AttemptError(`cannot reach ${url}: ${describe(error)}`, true, undefined, nobodyThere(error));
  }
  if (!response.ok) throw await problemOf(response);
  if (response.body === null) throw new AttemptError('the answer has no body', true);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();

  const file = request.files.open(request.id);
  const meter = new AudioMeter(format);
  let bytes = 0;
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    for await (const chunk of body) {
      const data = Buffer.from(chunk as Uint8Array);
      bytes += data.length;
      if (bytes > maxBytes) {
        download.abort();
        throw tooLarge();
      }
      meter.push(data);
      if (!file.stream.write(data)) await new Promise((resolve) => file.stream.once('drain', resolve));
    }
    await file.commit();
  } catch (error) {
    await file.discard();
    if (signal.aborted) throw signal.reason;
    if (error instanceof AttemptError) throw error;
    // The service cuts the stream off when synthesis fails after the audio started (the upstream dropped).
    throw new AttemptError(`the audio stream broke off after ${bytes} bytes: ${describe(error)}`, true);
  }
  const firstByte = Number(response.headers.get('x-warmline-first-byte-ms'));
  const tier = response.headers.get('x-warmline-tier');
  return {
    tier: tier === null ? null : terminalText(tier).slice(0, 32),
    firstByteMs: Number.isFinite(firstByte) ? firstByte : null,
    audioSeconds: meter.seconds,
    bytes,
  };
}

/** An error answer as an AttemptError: the problem document's code, detail and retryable, and Retry-After. */
async function problemOf(response: Response): Promise<AttemptError> {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const fallbackRetryable = response.status === 429 || response.status >= 500;
  let text = '';
  try {
    text = await response.text();
    const problem = JSON.parse(text) as { code?: unknown; detail?: unknown; retryable?: unknown };
    if (typeof problem.code === 'string' && typeof problem.detail === 'string') {
      const retryable = typeof problem.retryable === 'boolean' ? problem.retryable : fallbackRetryable;
      return new AttemptError(
        `${response.status} ${terminalText(problem.code)}: ${terminalText(problem.detail)}`,
        retryable,
        retryAfterMs,
      );
    }
  } catch {
    // Not a problem document (a proxy's error page, a cut-off body): fall through to the status alone.
  }
  const excerpt = terminalText(text).replace(/\s+/g, ' ').trim().slice(0, 120);
  return new AttemptError(
    `${response.status} ${terminalText(response.statusText)}${excerpt === '' ? '' : `: ${excerpt}`}`,
    fallbackRetryable,
    retryAfterMs,
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return terminalText(String(error));
  const cause = (error as { cause?: unknown }).cause;
  return terminalText(cause instanceof Error ? `${error.message} (${cause.message})` : error.message);
}

/** Whether fetch failed because nothing answered at the address (refused, unknown host, no route). */
function nobodyThere(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } } | null)?.cause;
  const codes = [cause?.code, ...(cause?.errors ?? []).map((e) => e.code)];
  return codes.some((code) => typeof code === 'string' && NOBODY_THERE.has(code));
}
