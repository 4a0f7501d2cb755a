// Module-level aliases: global lookups in hot loops are very slow inside vm contexts (Jest's sandbox).
const { log10, max, round } = Math;

/** A change of state, at an absolute sample position in the stream. */
export type VadEvent = { type: 'speechStart'; sample: number } | { type: 'speechEnd'; sample: number };

export interface VadOptions {
  sampleRate: number;
  frameMs?: number;
  /** A frame is speech when its energy is this far above the noise floor ... */
  thresholdDb?: number;
  /** ... and above this absolute level (dBFS), so quiet hiss never counts. */
  minSpeechDb?: number;
  /** Consecutive speech frames before speech is declared (rejects clicks). */
  startFrames?: number;
  /** Quiet this long ends an utterance (keeps pauses between words and sentences inside it). */
  hangoverMs?: number;
  /** The noise floor is the quietest frame of this much recent audio. */
  floorWindowMs?: number;
}

const SILENCE_DB = -100;

/**
 * Energy-based voice-activity detection: per-frame RMS energy in dBFS against an adaptive noise floor, the
 * quietest frame of the last {@link VadOptions.floorWindowMs} (minimum statistics: speech always has quieter
 * moments between syllables and words, steady noise does not, so a constant background becomes the floor
 * within one window even if it was there from the first sample). A frame is speech when it is
 * {@link VadOptions.thresholdDb} above the floor and above an absolute minimum; a start debounce rejects
 * clicks and a hangover keeps pauses inside an utterance. Streaming: push chunks of any size; events carry
 * absolute sample positions.
 */
export class VoiceActivityDetector {
  private readonly frameLength: number;
  private readonly thresholdDb: number;
  private readonly minSpeechDb: number;
  private readonly startFrames: number;
  private readonly hangoverFrames: number;
  private readonly floorWindowFrames: number;
  /** Monotonic deque of (frame index, dB): its head is the minimum of the window. */
  private readonly floorFrames: number[] = [];
  private readonly floorLevels: number[] = [];
  private readonly partial: Int16Array;
  private partialLength = 0;
  private framesDone = 0;
  private speaking = false;
  private speechRun = 0;
  private silenceRun = 0;
  private lastSpeechFrameEnd = 0;

  constructor(options: VadOptions) {
    const frameMs = options.frameMs ?? 10;
    this.frameLength = max(1, round((options.sampleRate * frameMs) / 1000));
    this.thresholdDb = options.thresholdDb ?? 12;
    this.minSpeechDb = options.minSpeechDb ?? -55;
    this.startFrames = options.startFrames ?? 3;
    this.hangoverFrames = max(1, round((options.hangoverMs ?? 600) / frameMs));
    this.floorWindowFrames = max(1, round((options.floorWindowMs ?? 1500) / frameMs));
    this.partial = new Int16Array(this.frameLength);
  }

  get noiseFloor(): number {
    return this.floorLevels.length > 0 ? this.floorLevels[0] : SILENCE_DB;
  }

  push(samples: Int16Array): VadEvent[] {
    const events: VadEvent[] = [];
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.frameLength - this.partialLength, samples.length - i);
      this.partial.set(samples.subarray(i, i + take), this.partialLength);
      this.partialLength += take;
      i += take;
      if (this.partialLength === this.frameLength) {
        this.processFrame(this.partial, events);
        this.partialLength = 0;
      }
    }
    return events;
  }

  /** End of stream: an utterance in progress ends at its last speech frame. */
  flush(): VadEvent[] {
    if (!this.speaking) return [];
    this.speaking = false;
    this.speechRun = 0;
    this.silenceRun = 0;
    return [{ type: 'speechEnd', sample: this.lastSpeechFrameEnd }];
  }

  private updateFloor(frameIndex: number, db: number): void {
    while (this.floorLevels.length > 0 && this.floorLevels[this.floorLevels.length - 1] >= db) {
      this.floorLevels.pop();
      this.floorFrames.pop();
    }
    this.floorLevels.push(db);
    this.floorFrames.push(frameIndex);
    while (this.floorFrames[0] <= frameIndex - this.floorWindowFrames) {
      this.floorFrames.shift();
      this.floorLevels.shift();
    }
  }

  private processFrame(frame: Int16Array, events: VadEvent[]): void {
    let energy = 0;
    for (let i = 0; i < frame.length; i++) energy += frame[i] * frame[i];
    const db =
      energy === 0 ? SILENCE_DB : max(SILENCE_DB, 10 * log10(energy / frame.length / (32768 * 32768)));
    const frameIndex = this.framesDone++;
    const frameStart = frameIndex * this.frameLength;
    this.updateFloor(frameIndex, db);
    const isSpeech = db > this.noiseFloor + this.thresholdDb && db > this.minSpeechDb;

    if (!this.speaking) {
      this.speechRun = isSpeech ? this.speechRun + 1 : 0;
      if (this.speechRun >= this.startFrames) {
        this.speaking = true;
        this.silenceRun = 0;
        this.lastSpeechFrameEnd = frameStart + this.frameLength;
        events.push({ type: 'speechStart', sample: frameStart - (this.startFrames - 1) * this.frameLength });
      }
      return;
    }
    if (isSpeech) {
      this.silenceRun = 0;
      this.lastSpeechFrameEnd = frameStart + this.frameLength;
      return;
    }
    this.silenceRun++;
    if (this.silenceRun >= this.hangoverFrames) {
      this.speaking = false;
      this.speechRun = 0;
      events.push({ type: 'speechEnd', sample: this.lastSpeechFrameEnd });
    }
  }
}
