import { Landmark, LandmarkExtractor } from './features/landmarks';
import { coarseBands, frameLevel, FRAME_MS, SpectralFrameStream } from './features/spectral-frames';
import { UtteranceMatcher } from './matching/utterance-matcher';
import { SynthesisMemory } from './memory/synthesis-memory';
import { hypothesis, hypothesisText, recognizedPhrase } from './recognition-messages';
import { RecognitionMode, RecognitionSettings } from './recognition-settings';
import { VadEvent, VoiceActivityDetector } from './voice-activity-detector';

export type { RecognitionMode } from './recognition-settings';

export interface RecognitionTurnOptions {
  sampleRate: number;
  settings: RecognitionSettings;
  memory: SynthesisMemory;
  /** Sends one service message (path + JSON body) for this turn. */
  send: (path: string, body: unknown) => void;
}

interface Utterance {
  start: number;
  matcher: UtteranceMatcher;
  lastHypothesis: string;
  lastHypothesisCheck: number;
}

interface RecentFrame {
  index: number;
  coarse: Float32Array;
  level: number;
}

const TICKS_PER_SECOND = 10_000_000;
/** Audio kept from before the VAD's decision, matched with the utterance. */
const PRE_ROLL_MS = 150;
const HYPOTHESIS_INTERVAL_MS = 200;
/** Frames and landmarks kept from the recent past, for an utterance that turns out to have started there. */
const RECENT_FRAMES = 64;

/**
 * The audio side of one recognition turn, independent of sockets: PCM in (any chunking), voice activity
 * segmentation at the turn's segmentation silence, spectral features and landmarks, matching per utterance against
 * the stored syntheses, service messages out (`speech.startDetected`, growing `speech.hypothesis`,
 * `speech.endDetected`, `speech.phrase`). The caller sends `turn.start`/`turn.end`; {@link done} says when the
 * turn has nothing more to say.
 */
export class RecognitionTurn {
  private readonly vad: VoiceActivityDetector;
  private readonly spectrum: SpectralFrameStream;
  private readonly landmarks: LandmarkExtractor;
  private readonly recentFrames: RecentFrame[] = [];
  private readonly recentLandmarks: Landmark[] = [];
  private readonly mode: RecognitionMode;
  private readonly slice: number;
  private utterance: Utterance | undefined;
  private position = 0; // samples received
  private heardSpeech = false;
  private carry: number | undefined; // odd byte left over from the previous frame
  private finished = false;

  constructor(private readonly options: RecognitionTurnOptions) {
    const { sampleRate, settings } = options;
    this.mode = settings.mode ?? 'continuous';
    this.slice = Math.max(1, Math.round(sampleRate / 100));
    this.vad = new VoiceActivityDetector({ sampleRate, hangoverMs: settings.segmentationSilenceMs });
    this.landmarks = new LandmarkExtractor((landmark) => this.onLandmark(landmark));
    this.spectrum = new SpectralFrameStream(sampleRate, (index, fine) => this.onFrame(index, fine));
  }

  /** True once the turn is over (single-shot after its phrase, initial silence, any mode after end of stream). */
  get done(): boolean {
    return this.finished;
  }

  get samplesReceived(): number {
    return this.position;
  }

  pushAudio(bytes: Buffer): void {
    if (this.finished || bytes.length === 0) return;
    const samples = this.toSamples(bytes);
    // In 10 ms slices on the stream's grid, so speech events and timeouts are handled when they happen,
    // whatever the chunking.
    for (let i = 0; i < samples.length && !this.finished;) {
      const piece = samples.subarray(i, i + this.slice - (this.position % this.slice));
      i += piece.length;
      this.spectrum.push(piece);
      this.position += piece.length;
      this.handleEvents(this.vad.push(piece));
      if (this.finished) return;
      this.maybeInitialSilence();
      this.maybeHypothesis();
    }
  }

  /** The client's empty audio frame: the last utterance ends, then the turn. */
  endOfStream(): void {
    if (this.finished) return;
    this.landmarks.flush();
    this.handleEvents(this.vad.flush());
    if (this.finished) return;
    const end = this.ticks(this.position);
    if (this.mode === 'single-shot') {
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

  private onFrame(index: number, fine: Float32Array): void {
    const frame = { index, coarse: coarseBands(fine), level: frameLevel(fine) };
    this.recentFrames.push(frame);
    if (this.recentFrames.length > RECENT_FRAMES) this.recentFrames.shift();
    this.utterance?.matcher.addFrame(frame.coarse, frame.level);
    this.landmarks.push(fine);
  }

  private onLandmark(landmark: Landmark): void {
    this.recentLandmarks.push(landmark);
    while (
      this.recentLandmarks.length > 0 &&
      this.recentLandmarks[0].frame < landmark.frame - RECENT_FRAMES
    ) {
      this.recentLandmarks.shift();
    }
    this.utterance?.matcher.addLandmark(landmark);
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
    this.heardSpeech = true;
    const startFrame = Math.max(0, this.frameAt(start - this.samplesFor(PRE_ROLL_MS)));
    const matcher = new UtteranceMatcher(this.options.memory, startFrame);
    // The audio from just before the decision is already analysed: hand it over.
    for (const f of this.recentFrames) if (f.index >= startFrame) matcher.addFrame(f.coarse, f.level);
    for (const l of this.recentLandmarks) matcher.addLandmark(l);
    this.utterance = { start, matcher, lastHypothesis: '', lastHypothesisCheck: this.position };
    this.options.send('speech.startDetected', { Offset: this.ticks(start) });
  }

  private endUtterance(end: number): void {
    const utterance = this.utterance;
    if (!utterance) return;
    this.utterance = undefined;
    const match = utterance.matcher.match('final', Math.ceil((end * 100) / this.options.sampleRate));
    const offset = this.ticks(utterance.start);
    const duration = this.ticks(end) - offset;
    this.options.send('speech.endDetected', { Offset: this.ticks(end) });
    if (match) {
      this.options.send(
        'speech.phrase',
        recognizedPhrase(match, this.options.settings, { offset, duration }),
      );
    } else {
      this.options.send('speech.phrase', {
        RecognitionStatus: 'NoMatch',
        Offset: offset,
        Duration: duration,
      });
    }
    if (this.mode === 'single-shot') this.finished = true;
  }

  /** A turn whose audio starts with more silence than `initialSilenceMs` ends, as the service ends it. */
  private maybeInitialSilence(): void {
    const limit = this.options.settings.initialSilenceMs;
    if (limit === undefined || this.heardSpeech || this.utterance) return;
    if (this.position < this.samplesFor(limit)) return;
    this.options.send('speech.phrase', {
      RecognitionStatus: 'InitialSilenceTimeout',
      Offset: 0,
      Duration: this.ticks(this.position),
    });
    this.finished = true;
  }

  /** Partial results grow with the audio: the words of the matched synthesis heard completely so far. */
  private maybeHypothesis(): void {
    const utterance = this.utterance;
    if (!utterance || this.position - utterance.lastHypothesisCheck < this.samplesFor(HYPOTHESIS_INTERVAL_MS))
      return;
    utterance.lastHypothesisCheck = this.position;
    const match = utterance.matcher.match('partial');
    if (!match) return;
    const text = hypothesisText(match, this.options.settings);
    if (text === '' || text === utterance.lastHypothesis) return;
    utterance.lastHypothesis = text;
    const offset = this.ticks(utterance.start);
    this.options.send(
      'speech.hypothesis',
      hypothesis(match, this.options.settings, { offset, duration: this.ticks(this.position) - offset }),
    );
  }

  /** The stream frame whose window starts at or before `sample`. */
  private frameAt(sample: number): number {
    return Math.floor((sample * 1000) / FRAME_MS / this.options.sampleRate);
  }

  private samplesFor(ms: number): number {
    return Math.round((ms * this.options.sampleRate) / 1000);
  }

  private ticks(samples: number): number {
    return Math.round((Math.max(0, samples) * TICKS_PER_SECOND) / this.options.sampleRate);
  }
}
