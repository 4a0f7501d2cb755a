import type { ServerResponse } from 'node:http';
import type { AllocationTier } from '../pools/allocation-tier';
import type { WordTiming } from '../speech/word-timing';
import { wavHeader } from '../speech/wav-header';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import type { HttpAudioFormat } from './http-audio-formats';
import { TIER_HEADER } from './http-audio-sink';
import { toProblem } from './problem-details';
import { problemDocument, sendProblem } from './problem-response';

export interface HttpEventSinkOptions {
  response: ServerResponse;
  format: HttpAudioFormat;
  requestId: string;
  logInternal: (error: unknown) => void;
}

/**
 * One synthesis answered as Server-Sent Events (`Accept: text/event-stream`): `event: audio` (`{ seq, audio }`, the
 * bytes base64 — a WAV format's header rides in front of the first chunk, so the audio events joined are exactly the
 * body a plain request gets), `event: word` for each word, then `event: done` (the Socket.IO synthesis ack) or
 * `event: error` (the problem document). The event stream starts once a synthesizer is allocated; a failure before
 * that (a full pool, shutdown) is an ordinary problem response with its status.
 */
export class HttpEventSink implements AudioSink {
  private tier: AllocationTier | null = null;
  private headerPending: boolean;

  constructor(private readonly options: HttpEventSinkOptions) {
    this.headerPending = options.format.wavHeader;
  }

  allocated(tier: AllocationTier): void {
    this.tier = tier;
    const { response } = this.options;
    if (response.destroyed || response.headersSent) return;
    response.statusCode = 200;
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    // Proxies (nginx) would otherwise hold events back to fill their buffers.
    response.setHeader('X-Accel-Buffering', 'no');
    response.setHeader('Access-Control-Expose-Headers', TIER_HEADER);
    response.setHeader(TIER_HEADER, tier);
    response.flushHeaders();
  }

  emit(chunk: Buffer, seq: number): void {
    let audio = chunk;
    if (this.headerPending) {
      this.headerPending = false;
      audio = Buffer.concat([wavHeader(this.options.format.sampleRate), chunk]);
    }
    this.send('audio', { seq, audio: audio.toString('base64') });
  }

  word(word: WordTiming): void {
    this.send('word', { requestId: this.options.requestId, ...word });
  }

  bufferedBytes(): number {
    return this.options.response.writableLength;
  }

  reply(result: SynthesisResult): void {
    const { response, requestId } = this.options;
    switch (result.kind) {
      case 'completed': {
        const { firstByteMs, totalMs, bytes } = result;
        this.send('done', { ok: true, requestId, tier: result.tier, firstByteMs, totalMs, bytes });
        response.end();
        return;
      }
      case 'failed': {
        const problem = toProblem(result.cause, this.options.logInternal);
        if (!response.headersSent) return sendProblem(response, problem, 'problem');
        this.send('error', problemDocument(problem, 'problem'));
        response.end();
        return;
      }
      case 'canceled':
      case 'abandoned':
        // The client went away: nobody to answer.
        response.destroy();
        return;
    }
  }

  private send(event: string, data: object): void {
    const { response } = this.options;
    if (response.destroyed || response.writableEnded || this.tier === null) return;
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
