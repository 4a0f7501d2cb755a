import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { EmulatorConnection, newServiceId } from '../protocol/emulator-connection';
import { serviceHeaders } from '../protocol/frame-codec';
import { CloseCode } from '../protocol/protocol-handler';
import { AudioChunkEncoder, audioChunkEncoder } from './audio-chunk-encoder';
import { RenderedSegment, SpeechUnit, TimedWord } from './speech-voice';
import { riffHeaderFor, SynthesisOutputFormat } from './synthesis-output-format';
import { TurnMemory } from './turn-memory';

const CHUNK_MS = 50;
const TICKS_PER_SECOND = 10_000_000;
/** Paced audio that falls this far behind its schedule (text arrived late) restarts the clock, never bursts. */
const STARVED_MS = 100;

/** The turn ended early (socket gone, or an emulated failure closed it): nothing more may be sent. */
export class TurnAborted extends Error {}

export interface TurnAudioOptions {
  conn: EmulatorConnection;
  requestId: string;
  serviceTag: string;
  format: SynthesisOutputFormat;
  wordBoundaries: boolean;
  /** `realtimeFactor` in force when the turn began (0: as fast as produced). */
  realtimeFactor: number;
  firstByteLatencyMs: number;
  /** Fail this turn mid-stream (the `dropMidStreamNext` fault). */
  drop: boolean;
  /** Where the turn is remembered for recognition: each unit's words, then its audio as it is sent. */
  remember?: TurnMemory;
  leadMs: number;
  tailMs: number;
  /** Aborts on a stop for this turn: no more audio, then the turn ends normally. */
  stopped: AbortSignal;
}

function ticks(samples: number, rate: number): number {
  return Math.round((samples * TICKS_PER_SECOND) / rate);
}

/** Waits `ms`, or less when `signal` aborts first. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * The audio side of one synthesis turn, fed unit by unit as units are rendered: `response` (with the stream id)
 * before the first audio, then binary `audio` chunks of {@link CHUNK_MS} ms, each preceded by the `WordBoundary`
 * metadata of the words starting in it (offsets from the start of the turn's audio), paced at `realtimeFactor`;
 * `finish` sends the tail, `SessionEnd` and `turn.end`. Everything stops at once when the turn is stopped.
 */
export class TurnAudio {
  private readonly rate: number;
  private readonly chunkSamples: number;
  private readonly encoder: AudioChunkEncoder;
  private readonly streamId = newServiceId();
  private responded = false;
  /** The first part has come: the lead silence is out, the tail is owed. */
  private began = false;
  /** Samples sent so far: where the next audio starts in the turn. */
  private position = 0;
  private chunks = 0;
  /** The chunk at which a dropped turn fails: half way through its first unit. */
  private dropAt: number | undefined;
  /** When the next chunk may leave (paced turns). */
  private due: number | undefined;

  constructor(private readonly options: TurnAudioOptions) {
    this.rate = options.format.sampleRate;
    this.chunkSamples = Math.round((this.rate * CHUNK_MS) / 1000);
    this.encoder = audioChunkEncoder(options.format);
  }

  get stopped(): boolean {
    return this.options.stopped.aborted;
  }

  /** One rendered unit. */
  async speech(segment: RenderedSegment, unit: SpeechUnit): Promise<void> {
    if (this.stopped) return;
    await this.begin();
    // Its words are known before any of its audio leaves, so a recognizer fed this audio right away finds them.
    this.options.remember?.speech(segment, unit, this.position);
    if (this.options.drop && this.dropAt === undefined) {
      const chunks = Math.ceil(segment.samples.length / this.chunkSamples);
      this.dropAt = this.chunks + Math.max(1, Math.floor(chunks / 2));
    }
    await this.emit(segment.samples, segment.words);
  }

  /** A pause (an SSML break). */
  async silence(ms: number): Promise<void> {
    await this.begin();
    await this.silentSamples(Math.round((ms * this.rate) / 1000));
  }

  /** The voice's lead silence, before the turn's first part (as a whole render places it). */
  private async begin(): Promise<void> {
    if (this.began) return;
    this.began = true;
    await this.silentSamples(Math.round((this.options.leadMs * this.rate) / 1000));
  }

  /** The tail (padded to a whole 10 ms frame, so tick durations are exact), then `SessionEnd` and `turn.end`. */
  async finish(): Promise<void> {
    const { conn, requestId, stopped } = this.options;
    if (!this.stopped) {
      if (this.began) await this.silentSamples(Math.round((this.options.tailMs * this.rate) / 1000));
      const frame = this.rate / 100;
      await this.silentSamples(Math.ceil(this.position / frame) * frame - this.position);
      const tail = await this.encoder.flush();
      if (tail.length > 0) this.sendAudio(tail);
    }
    if (this.due !== undefined) await pause(this.due - performance.now(), stopped);
    this.checkOpen();
    if (this.options.drop) this.failNow(); // a turn too short to fail half way fails before its end
    this.respond();
    conn.sendText('audio.metadata', requestId, {
      Metadata: [{ Type: 'SessionEnd', Data: { Offset: ticks(this.position, this.rate) } }],
    });
    conn.sendText('turn.end', requestId, {});
  }

  /** Frees the encoder's resources: called once the turn is over, however it ended. */
  dispose(): void {
    this.encoder.dispose();
  }

  private async silentSamples(count: number): Promise<void> {
    const zeros = new Int16Array(Math.min(count, this.chunkSamples));
    for (let left = count; left > 0 && !this.stopped; left -= zeros.length) {
      await this.emit(zeros.subarray(0, Math.min(left, zeros.length)), []);
    }
  }

  /** Sends `samples` in chunks from the current position; `words` are positioned relative to `samples`. */
  private async emit(samples: Int16Array, words: TimedWord[]): Promise<void> {
    const { conn, requestId, stopped } = this.options;
    let nextWord = 0;
    for (let start = 0; start < samples.length; start += this.chunkSamples) {
      const end = Math.min(samples.length, start + this.chunkSamples);
      await this.beforeChunk(end - start);
      this.checkOpen();
      if (stopped.aborted) return;
      if (this.chunks === this.dropAt) this.failNow();
      while (this.options.wordBoundaries && nextWord < words.length && words[nextWord].startSample < end) {
        const w = words[nextWord++];
        conn.sendText('audio.metadata', requestId, {
          Metadata: [
            {
              Type: 'WordBoundary',
              Data: {
                Offset: ticks(this.position + w.startSample - start, this.rate),
                Duration: ticks(w.endSample - w.startSample, this.rate),
                text: { Text: w.word, Length: w.word.length, BoundaryType: 'WordBoundary' },
              },
            },
          ],
        });
      }
      const chunk = samples.subarray(start, end);
      this.options.remember?.audio(chunk);
      let payload = this.encoder.encode(chunk);
      if (this.chunks === 0 && this.options.format.riffHeader) {
        // The length is not known while streaming: 0, as the service writes.
        payload = Buffer.concat([riffHeaderFor(this.options.format, 0), payload]);
      }
      // mp3 and opus encoders hold samples back until they have a whole frame (page): some chunks give no bytes.
      if (payload.length > 0) this.sendAudio(payload);
      this.chunks++;
      this.position += end - start;
      await conn.drain();
      await yieldToLoop(); // audio goes out as produced, interleaved with other sockets' work
      this.checkOpen();
    }
  }

  /** Answers `response` once, waits the first-byte latency, then paces: a chunk leaves when its time has come. */
  private async beforeChunk(samples: number): Promise<void> {
    const { stopped, realtimeFactor } = this.options;
    if (!this.responded) {
      this.respond();
      await pause(this.options.firstByteLatencyMs, stopped);
    }
    if (realtimeFactor <= 0) return;
    const now = performance.now();
    if (this.due === undefined || now - this.due > STARVED_MS) this.due = now;
    else await pause(this.due - now, stopped);
    this.due += (samples * 1000) / this.rate / realtimeFactor;
  }

  private respond(): void {
    if (this.responded) return;
    this.responded = true;
    const { conn, requestId, serviceTag } = this.options;
    conn.sendText('response', requestId, {
      context: { serviceTag },
      audio: { type: 'inline', streamId: this.streamId },
    });
  }

  private sendAudio(payload: Buffer): void {
    const headers = [
      ...serviceHeaders('audio', this.options.requestId, 'audio/x-wav'),
      ['X-StreamId', this.streamId] as [string, string],
    ];
    this.options.conn.sendBinary(headers, payload);
  }

  private failNow(): never {
    this.options.conn.close(CloseCode.serverError, 'Emulated mid-stream failure');
    throw new TurnAborted();
  }

  private checkOpen(): void {
    if (!this.options.conn.isOpen) throw new TurnAborted();
  }
}
