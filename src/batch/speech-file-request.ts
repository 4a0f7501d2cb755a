import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpTtsFormat } from '../http-api/http-audio-formats';
import { AudioMeter } from './audio-meter';
import type { OutputFiles } from './output-files';
import { parseRetryAfter } from './retry-policy';

/** One attempt that did not produce a file. `retryable` says whether trying again can help. */
export class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
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
  const { url, token, text, voice, format, signal } = request;
  let response: Response;
  try {
    response = await fetch(`${url}/api/v1/tts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(voice === undefined ? { text, format } : { text, voice, format }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // The service is unreachable or restarting: worth another try.
    throw new AttemptError(`cannot reach ${url}: ${describe(error)}`, true);
  }
  if (!response.ok) throw await problemOf(response);
  if (response.body === null) throw new AttemptError('the answer has no body', true);

  const file = request.files.open(request.id);
  const meter = new AudioMeter(format);
  let bytes = 0;
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    for await (const chunk of body) {
      const data = Buffer.from(chunk as Uint8Array);
      meter.push(data);
      bytes += data.length;
      if (!file.stream.write(data)) await new Promise((resolve) => file.stream.once('drain', resolve));
    }
    await file.commit();
  } catch (error) {
    await file.discard();
    if (signal.aborted) throw signal.reason;
    // The service cuts the stream off when synthesis fails after the audio started (the upstream dropped).
    throw new AttemptError(`the audio stream broke off after ${bytes} bytes: ${describe(error)}`, true);
  }
  const firstByte = Number(response.headers.get('x-warmline-first-byte-ms'));
  return {
    tier: response.headers.get('x-warmline-tier'),
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
        `${response.status} ${problem.code}: ${problem.detail}`,
        retryable,
        retryAfterMs,
      );
    }
  } catch {
    // Not a problem document (a proxy's error page, a cut-off body): fall through to the status alone.
  }
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  return new AttemptError(
    `${response.status} ${response.statusText}${excerpt === '' ? '' : `: ${excerpt}`}`,
    fallbackRetryable,
    retryAfterMs,
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
