import type { SttStream } from '../recognition/stt-stream';
import type { AbortReason } from '../synthesis/abort-reason';
import { TtsRequestQueue } from './tts-request-queue';

/**
 * A voice session: outlives its socket by the resume grace so a reconnecting client finds its DEDICATED
 * synthesizer (held by the TTS pool under the session id). Work in flight belongs to the socket that asked for
 * it and is aborted when that socket goes.
 */
export class VoiceSession {
  /** Synthesis requests, served in arrival order on the session's synthesizer. */
  readonly tts: TtsRequestQueue;
  /** The current recognition (at most one); a failed one stays until stt.stop reports its error. */
  stt: SttStream | null = null;
  /** The voice the session last asked for; its text requests without a voice use it. */
  voice: string | null = null;

  constructor(
    readonly id: string,
    readonly principal: string,
    maxQueuedSyntheses: number,
  ) {
    this.tts = new TtsRequestQueue(maxQueuedSyntheses);
  }

  /** Stops every synthesis and the recognition of the current connection, for `reason`. */
  abortWork(reason: AbortReason): void {
    this.tts.cancelAll(reason);
    const stt: SttStream | null = this.stt;
    this.stt = null;
    stt?.abort(reason);
  }

  /** Resolves once no synthesis is queued or running and the recognition (if any) is over. */
  async whenIdle(): Promise<void> {
    await Promise.all([this.tts.whenIdle(), this.stt?.done]);
  }
}
