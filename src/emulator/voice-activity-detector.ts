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
}

const SILENCE_DB = -100;

/**
 * Energy-based voice-activity detection: per-frame RMS energy in dBFS against an adaptive noise floor that
 * follows quiet frames down quickly, rises slowly while there is no speech and very slowly during speech
 * (so a steady noise that started as "speech" is eventually absorbed), with a start debounce and a hangover.
 * Streaming: push chunks of any size; events carry absolute sample positions.
 */
export class VoiceActivityDetector {
  private readonly frameLength: number;
  private readonly thresholdDb: number;
  private readonly minSpeechDb: number;
  private readonly startFrames: number;
  private readonly hangoverFrames: number;
  private readonly partial: Int16Array;
  private partialLength = 0;
  private framesDone = 0;
  private noiseFloorDb = -70;
  private speaking = false;
  private speechRun = 0;
  private silenceRun = 0;
  private lastSpeechFrameEnd = 0;

  constructor(options: VadOptions) {
    const frameMs = options.frameMs ?? 10;
    this.frameLength = Math.max(1, Math.round((options.sampleRate * frameMs) / 1000));
    this.thresholdDb = options.thresholdDb ?? 12;
    this.minSpeechDb = options.minSpeechDb ?? -55;
    this.startFrames = options.startFrames ?? 3;
    this.hangoverFrames = Math.max(1, Math.round((options.hangoverMs ?? 600) / frameMs));
    this.partial = new Int16Array(this.frameLength);
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Samples consumed so far (including a pending partial frame). */
  get position(): number {
    return this.framesDone * this.frameLength + this.partialLength;
  }

  get noiseFloor(): number {
    return this.noiseFloorDb;
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

  private processFrame(frame: Int16Array, events: VadEvent[]): void {
    let energy = 0;
    for (let i = 0; i < frame.length; i++) energy += frame[i] * frame[i];
    const db =
      energy === 0
        ? SILENCE_DB
        : Math.max(SILENCE_DB, 10 * Math.log10(energy / frame.length / (32768 * 32768)));
    const frameStart = this.framesDone * this.frameLength;
    this.framesDone++;
    const isSpeech = db > this.noiseFloorDb + this.thresholdDb && db > this.minSpeechDb;

    if (db < this.noiseFloorDb) this.noiseFloorDb += 0.3 * (db - this.noiseFloorDb);
    else this.noiseFloorDb += this.speaking || isSpeech ? 0.02 : 0.1; // dB per 10 ms frame: 2 dB/s vs 10 dB/s

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
