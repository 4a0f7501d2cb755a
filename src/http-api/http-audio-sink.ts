import type { ServerResponse } from 'node:http';
import type { AllocationTier } from '../pools/allocation-tier';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import type { HttpAudioFormat } from './http-audio-formats';
import { INSTRUCTIONS_HEADER } from './instructions-style';
import { toProblem } from './problem-details';
import { sendProblem, type ProblemStyle } from './problem-response';
import { wavHeader } from '../speech/wav-header';

export const TIER_HEADER = 'X-Warmline-Tier';
export const FIRST_BYTE_HEADER = 'X-Warmline-First-Byte-Ms';
/** Response headers a browser on another origin (CORS_ORIGINS) may read. */
const EXPOSED_HEADERS = `${TIER_HEADER}, ${FIRST_BYTE_HEADER}, ${INSTRUCTIONS_HEADER}, Retry-After`;

export interface HttpAudioSinkOptions {
  response: ServerResponse;
  format: HttpAudioFormat;
  style: ProblemStyle;
  /** When serving the request began (performance.now()), for the first-byte time. */
  startedAt: number;
  logInternal: (error: unknown) => void;
}

/**
 * One synthesis answered over HTTP: the status and headers go out with the first audio chunk (so they can
 * carry the tier and the first-byte time, and a failure before any audio is still a proper error status), then
 * every chunk as it arrives (chunked transfer encoding), then the end. A failure after audio was sent cuts the
 * response off.
 */
export class HttpAudioSink implements AudioSink {
  /** Where the synthesizer came from, once one was allocated (for the tier header). */
  private tier: AllocationTier | null = null;

  constructor(private readonly options: HttpAudioSinkOptions) {}

  allocated(tier: AllocationTier): void {
    this.tier = tier;
  }

  emit(chunk: Buffer): void {
    const { response } = this.options;
    if (response.destroyed || response.writableEnded) return;
    if (!response.headersSent) this.begin(performance.now() - this.options.startedAt);
    response.write(chunk);
  }

  bufferedBytes(): number {
    // The response's own queue plus its socket's: what the network has not taken yet.
    return this.options.response.writableLength;
  }

  reply(result: SynthesisResult): void {
    const { response } = this.options;
    switch (result.kind) {
      case 'completed':
        if (response.destroyed) return;
        if (!response.headersSent) this.begin(null);
        response.end();
        return;
      case 'failed':
        sendProblem(response, toProblem(result.cause, this.options.logInternal), this.options.style);
        return;
      case 'canceled':
      case 'abandoned':
        // The client went away: nobody to answer.
        response.destroy();
        return;
    }
  }

  private begin(firstByteMs: number | null): void {
    const { response, format } = this.options;
    const { tier } = this;
    response.statusCode = 200;
    response.setHeader('Content-Type', format.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (tier !== null) response.setHeader(TIER_HEADER, tier);
    if (firstByteMs !== null)
      response.setHeader(FIRST_BYTE_HEADER, String(Math.round(firstByteMs * 10) / 10));
    if (format.wavHeader) response.write(wavHeader(format.sampleRate));
  }
}
