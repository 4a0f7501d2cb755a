import { AudioFingerprintStore, FingerprintQuery } from './audio-fingerprint-store';
import { SampleHistory } from './sample-history';
import { VadEvent, VoiceActivityDetector } from './voice-activity-detector';

export type RecognitionMode = 'continuous' | 'single-shot';

export interface RecognitionTurnOptions {
  sampleRate: number;
  mode: RecognitionMode;
  detailed: boolean;
  store: AudioFingerprintStore;
  /** Sends one service message (path + JSON body) for this turn. */
  send: (path: string, body: unknown) => void;
}

interface Utterance {
  start: number;
  query: FingerprintQuery;
  fedUpTo: number;
  lastHypothesis: string;
  lastHypothesisCheck: number;
}

const TICKS_PER_SECOND = 10_000_000;
/** Audio kept from before the VAD's decision, fed to the matcher with the utterance. */
const PRE_ROLL_MS = 150;
const HYPOTHESIS_INTERVAL_MS = 200;

/**
 * The audio side of one recognition turn, independent of sockets: PCM in (any chunking), VAD segmentation,
 * fingerprint matching per utterance, service messages out (`speech.startDetected`, growing
 * `speech.hypothesis`, `speech.endDetected`, `speech.phrase`). The caller sends `turn.start`/`turn.end`;
 * {@link done} says when the turn has nothing more to say.
 */
export class RecognitionTurn {
  private readonly vad: VoiceActivityDetector;
  private readonly history = new SampleHistory();
  private utterance: Utterance | undefined;
  private carry: number | undefined; // odd byte left over from the previous frame
  private finished = false;

  constructor(private readonly options: RecognitionTurnOptions) {
    this.vad = new VoiceActivityDetector({ sampleRate: options.sampleRate });
  }

  /** True once the turn is over (single-shot after its phrase, any mode after end of stream). */
  get done(): boolean {
    return this.finished;
  }

  get samplesReceived(): number {
    return this.history.end;
  }

  pushAudio(bytes: Buffer): void {
    if (this.finished || bytes.length === 0) return;
    const samples = this.toSamples(bytes);
    if (samples.length === 0) return;
    this.history.append(samples);
    this.handleEvents(this.vad.push(samples));
    if (this.finished) return;
    if (this.utterance) {
      this.feedUtterance(this.history.end);
      this.maybeHypothesis();
      this.history.discardBefore(this.utterance.fedUpTo);
    } else {
      this.history.discardBefore(this.history.end - this.samplesFor(PRE_ROLL_MS));
    }
  }

  /** The client's empty audio frame: the last utterance ends, then the turn. */
  endOfStream(): void {
    if (this.finished) return;
    this.handleEvents(this.vad.flush());
    if (this.finished) return;
    const end = this.ticks(this.history.end);
    if (this.options.mode === 'single-shot') {
      // No speech at all before the end: the service's answer is a NoMatch for initial silence.
      this.options.send('speech.phrase', {
        RecognitionStatus: 'InitialSilenceTimeout',
        Offset: end,
        Duration: 0,
      });
    } else {
      this.options.send('speech.phrase', { RecognitionStatus: 'EndOfDictation', Offset: end, Duration: 0 });
    }
    this.finished = true;
  }

  private toSamples(bytes: Buffer): Int16Array {
    let data = bytes;
    if (this.carry !== undefined) {
      data = Buffer.concat([Buffer.from([this.carry]), bytes]);
      this.carry = undefined;
    }
    if (data.length % 2 === 1) {
      this.carry = data[data.length - 1];
      data = data.subarray(0, data.length - 1);
    }
    const samples = new Int16Array(data.length / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(2 * i);
    return samples;
  }

  private handleEvents(events: VadEvent[]): void {
    for (const event of events) {
      if (this.finished) return;
      if (event.type === 'speechStart') this.startUtterance(event.sample);
      else this.endUtterance(event.sample);
    }
  }

  private startUtterance(start: number): void {
    const from = Math.max(this.history.oldest, start - this.samplesFor(PRE_ROLL_MS));
    this.utterance = {
      start,
      query: this.options.store.createQuery(this.options.sampleRate, from),
      fedUpTo: from,
      lastHypothesis: '',
      lastHypothesisCheck: from,
    };
    this.options.send('speech.startDetected', { Offset: this.ticks(start) });
  }

  private endUtterance(end: number): void {
    const utterance = this.utterance;
    if (!utterance) return;
    this.feedUtterance(end);
    this.utterance = undefined;
    const match = utterance.query.match('final');
    const offset = this.ticks(utterance.start);
    const duration = this.ticks(end) - offset;
    this.options.send('speech.endDetected', { Offset: this.ticks(end) });
    if (match) {
      const phrase: Record<string, unknown> = {
        RecognitionStatus: 'Success',
        DisplayText: match.display,
        Offset: offset,
        Duration: duration,
      };
      if (this.options.detailed) {
        phrase.NBest = [
          {
            Confidence: Math.round(match.coverage * 1000) / 1000,
            Lexical: match.lexical,
            ITN: match.lexical,
            MaskedITN: match.lexical,
            Display: match.display,
          },
        ];
      }
      this.options.send('speech.phrase', phrase);
    } else {
      this.options.send('speech.phrase', {
        RecognitionStatus: 'NoMatch',
        Offset: offset,
        Duration: duration,
      });
    }
    if (this.options.mode === 'single-shot') this.finished = true;
  }

  private feedUtterance(upTo: number): void {
    const utterance = this.utterance;
    if (!utterance || upTo <= utterance.fedUpTo) return;
    utterance.query.feed(this.history.read(utterance.fedUpTo, upTo));
    utterance.fedUpTo = upTo;
  }

  /** Partial results grow with the audio: the words of the matched synthesis heard completely so far. */
  private maybeHypothesis(): void {
    const utterance = this.utterance;
    if (
      !utterance ||
      utterance.fedUpTo - utterance.lastHypothesisCheck < this.samplesFor(HYPOTHESIS_INTERVAL_MS)
    )
      return;
    utterance.lastHypothesisCheck = utterance.fedUpTo;
    const match = utterance.query.match('partial');
    if (!match || match.lexical === utterance.lastHypothesis) return;
    utterance.lastHypothesis = match.lexical;
    const offset = this.ticks(utterance.start);
    this.options.send('speech.hypothesis', {
      Text: match.lexical,
      Offset: offset,
      Duration: this.ticks(utterance.fedUpTo) - offset,
    });
  }

  private samplesFor(ms: number): number {
    return Math.round((ms * this.options.sampleRate) / 1000);
  }

  private ticks(samples: number): number {
    return Math.round((Math.max(0, samples) * TICKS_PER_SECOND) / this.options.sampleRate);
  }
}
