import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { EmulatorConnection, newServiceId } from '../protocol/emulator-connection';
import { BinaryFrame, serviceHeaders, TextFrame } from '../protocol/frame-codec';
import { CloseCode, EmulatorServices, ProtocolHandler } from '../protocol/protocol-handler';
import { audioChunkEncoder } from './audio-chunk-encoder';
import { findEmulatorVoice } from './emulator-voices';
import { parseSsml, ParsedSsml, SsmlParseError } from './ssml-parser';
import { RenderedSpeech } from './speech-voice';
import { SynthesisRecording } from '../recognition/memory/synthesis-memory';
import { synthesisFacts } from './synthesis-facts';
import { isStopAction, readSynthesisContext, SynthesisRequestContext } from './synthesis-context';
import { resolveOutputFormat, riffHeaderFor, SynthesisOutputFormat } from './synthesis-output-format';

/** The service's SSML limit per turn. */
export const MAX_SSML_BYTES = 64 * 1024;
const CHUNK_MS = 50;
const TICKS_PER_SECOND = 10_000_000;
/** Stops for request ids that are not running (yet) are remembered this many at a time. */
const MAX_PENDING_STOPS = 16;

interface PendingTurn {
  requestId: string;
  ssml: string;
}

/** The turn being answered; its signal aborts on a `synthesis.control` stop for it or when the socket closes. */
interface RunningTurn {
  requestId: string;
  stop: AbortController;
}

class TurnAborted extends Error {}

function ticks(samples: number, rate: number): number {
  return Math.round((samples * TICKS_PER_SECOND) / rate);
}

/** Waits `ms`, or less when `signal` aborts first. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * `/tts/cognitiveservices/websocket/v1`: per `ssml` message one turn — `turn.start`, `response` (stream id),
 * word-boundary `audio.metadata`, binary `audio` chunks of {@link CHUNK_MS} ms, `SessionEnd` metadata,
 * `turn.end`. Turns on one socket run one after the other, like the service. A `synthesis.control` stop ends
 * its turn at once (no more audio, then `SessionEnd` and `turn.end`), also while the turn waits or is paced.
 */
export class SynthesisHandler implements ProtocolHandler {
  private readonly contexts = new Map<string, SynthesisRequestContext>();
  private readonly queue: PendingTurn[] = [];
  private running = false;
  private current: RunningTurn | undefined;
  /** Stops that arrived for a turn not running yet (lower-case request ids). */
  private readonly pendingStops = new Set<string>();

  constructor(
    private readonly conn: EmulatorConnection,
    private readonly services: EmulatorServices,
  ) {}

  onText(frame: TextFrame): void {
    switch (frame.path.toLowerCase()) {
      case 'speech.config':
      case 'telemetry':
        return;
      case 'synthesis.context': {
        let context: SynthesisRequestContext;
        try {
          context = readSynthesisContext(frame.body);
        } catch {
          this.conn.close(CloseCode.badRequest, 'Invalid synthesis.context: not JSON');
          return;
        }
        this.contexts.set(frame.requestId.toLowerCase(), context);
        if (this.contexts.size > 8) this.contexts.delete(this.contexts.keys().next().value as string);
        return;
      }
      case 'ssml':
        this.queue.push({ requestId: frame.requestId, ssml: frame.body });
        void this.runQueue();
        return;
      case 'synthesis.control':
        if (isStopAction(frame.body)) this.stop(frame.requestId.toLowerCase());
        return;
      default:
        this.services.logger.debug('ignoring synthesis message', {
          connection: this.conn.id,
          path: frame.path,
        });
    }
  }

  onBinary(frame: BinaryFrame): void {
    this.services.logger.debug('ignoring binary message on a synthesis socket', { path: frame.path });
  }

  onClose(): void {
    this.queue.length = 0;
    this.contexts.clear();
    this.pendingStops.clear();
    this.current?.stop.abort();
  }

  private stop(requestId: string): void {
    if (this.current?.requestId === requestId) {
      this.current.stop.abort();
      return;
    }
    this.pendingStops.add(requestId);
    if (this.pendingStops.size > MAX_PENDING_STOPS) {
      this.pendingStops.delete(this.pendingStops.values().next().value as string);
    }
  }

  private async runQueue(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let turn = this.queue.shift(); turn && this.conn.isOpen; turn = this.queue.shift()) {
        this.conn.beginTurn();
        try {
          await this.runTurn(turn);
        } catch (e) {
          if (!(e instanceof TurnAborted)) {
            this.services.logger.warn('synthesis turn failed', {
              connection: this.conn.id,
              error: String(e),
            });
            this.conn.close(CloseCode.serverError, 'Synthesis failed');
          }
        } finally {
          this.conn.endTurn();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runTurn(pending: PendingTurn): Promise<void> {
    const id = pending.requestId.toLowerCase();
    const stop = new AbortController();
    if (this.pendingStops.delete(id)) stop.abort();
    this.current = { requestId: id, stop };
    try {
      await this.answerTurn(pending, stop.signal);
    } finally {
      this.current = undefined;
    }
  }

  private async answerTurn({ requestId, ssml }: PendingTurn, stopped: AbortSignal): Promise<void> {
    const { services, conn } = this;
    services.counters.synthesisStarted();
    const drop = services.takeDropFault();
    const context = this.contexts.get(requestId.toLowerCase()) ?? {
      outputFormat: undefined,
      wordBoundaries: true,
    };
    this.contexts.delete(requestId.toLowerCase());

    if (Buffer.byteLength(ssml) > MAX_SSML_BYTES) {
      conn.close(CloseCode.badRequest, `SSML exceeds ${MAX_SSML_BYTES} bytes`);
      return;
    }
    let parsed: ParsedSsml;
    try {
      parsed = parseSsml(ssml);
    } catch (e) {
      conn.close(CloseCode.badRequest, e instanceof SsmlParseError ? e.message : 'Invalid SSML');
      return;
    }
    const format = resolveOutputFormat(context.outputFormat);
    if (!format) {
      conn.close(CloseCode.badRequest, `Unsupported output format ${context.outputFormat ?? ''}`);
      return;
    }

    const serviceTag = newServiceId();
    const streamId = newServiceId();
    conn.sendText('turn.start', requestId, { context: { serviceTag } });
    const unknownVoice = parsed.voiceNames.find((name) => findEmulatorVoice(name) === undefined);
    if (unknownVoice !== undefined) {
      // As the service does: the turn starts, then the socket closes with 1007 naming the voice.
      conn.close(CloseCode.badRequest, `Unsupported voice ${unknownVoice}.`);
      return;
    }
    const request = {
      segments: parsed.segments,
      defaultVoice: parsed.voice,
      defaultLang: parsed.lang,
      sampleRate: format.sampleRate,
    };
    const speech = await services.voice.render(request);
    this.checkOpen();
    // Remembered as it streams (any output format: a client may play it and a microphone hear it), so a
    // recognizer fed this audio as it arrives already finds what was sent.
    const key = `${format.sampleRate}|${services.voice.kind}|${parsed.voice ?? ''}|${parsed.lang ?? ''}|${JSON.stringify(parsed.segments)}`;
    const recording = services.memory.record(key, synthesisFacts(speech, parsed));
    try {
      conn.sendText('response', requestId, { context: { serviceTag }, audio: { type: 'inline', streamId } });
      await pause(services.faults().firstByteLatencyMs, stopped);
      this.checkOpen();
      await this.streamAudio(
        requestId,
        streamId,
        speech,
        format,
        context.wordBoundaries,
        drop,
        stopped,
        recording,
      );
    } finally {
      recording?.finish();
    }
  }

  private async streamAudio(
    requestId: string,
    streamId: string,
    speech: RenderedSpeech,
    format: SynthesisOutputFormat,
    wordBoundaries: boolean,
    drop: boolean,
    stopped: AbortSignal,
    recording: SynthesisRecording | undefined,
  ): Promise<void> {
    const { conn } = this;
    const rate = speech.sampleRate;
    const chunkSamples = Math.round((rate * CHUNK_MS) / 1000);
    const chunkCount = Math.max(1, Math.ceil(speech.samples.length / chunkSamples));
    const dropAfter = Math.max(1, Math.floor(chunkCount / 2));
    const audioHeaders = (): Array<[string, string]> => [
      ...serviceHeaders('audio', requestId, 'audio/x-wav'),
      ['X-StreamId', streamId],
    ];
    const encoder = audioChunkEncoder(format);
    // Pacing: audio ending at sample n leaves no earlier than n / rate / factor seconds after the first chunk.
    const factor = this.services.faults().realtimeFactor;
    const paced = performance.now();
    const paceTo = (samples: number): Promise<void> =>
      factor > 0
        ? pause(paced + (samples * 1000) / rate / factor - performance.now(), stopped)
        : Promise.resolve();
    let nextWord = 0;
    let sentSamples = 0;
    for (let chunk = 0; chunk < chunkCount; chunk++) {
      const start = chunk * chunkSamples;
      const end = Math.min(speech.samples.length, start + chunkSamples);
      await paceTo(start);
      this.checkOpen();
      if (stopped.aborted) break;
      if (drop && chunk === dropAfter) {
        conn.close(CloseCode.serverError, 'Emulated mid-stream failure');
        throw new TurnAborted();
      }
      while (wordBoundaries && nextWord < speech.words.length && speech.words[nextWord].startSample < end) {
        const w = speech.words[nextWord++];
        conn.sendText('audio.metadata', requestId, {
          Metadata: [
            {
              Type: 'WordBoundary',
              Data: {
                Offset: ticks(w.startSample, rate),
                Duration: ticks(w.endSample - w.startSample, rate),
                text: { Text: w.word, Length: w.word.length, BoundaryType: 'WordBoundary' },
              },
            },
          ],
        });
      }
      const samples = speech.samples.subarray(start, end);
      recording?.push(samples);
      let payload = encoder.encode(samples);
      if (chunk === 0 && format.riffHeader) {
        const bytesPerSample = format.encoding === 'pcm16' ? 2 : 1;
        payload = Buffer.concat([riffHeaderFor(format, speech.samples.length * bytesPerSample), payload]);
      }
      // An mp3 encoder holds samples back until it has a whole frame: some chunks give no bytes yet.
      if (payload.length > 0) conn.sendBinary(audioHeaders(), payload);
      sentSamples = end;
      await conn.drain();
      await yieldToLoop(); // audio goes out as produced, interleaved with other sockets' work
      this.checkOpen();
    }
    if (!stopped.aborted) {
      const tail = encoder.flush();
      if (tail.length > 0) conn.sendBinary(audioHeaders(), tail);
    }
    await paceTo(sentSamples);
    this.checkOpen();
    if (drop) {
      // Single-chunk audio: fail after that chunk, still before the turn could complete.
      conn.close(CloseCode.serverError, 'Emulated mid-stream failure');
      throw new TurnAborted();
    }
    conn.sendText('audio.metadata', requestId, {
      Metadata: [{ Type: 'SessionEnd', Data: { Offset: ticks(sentSamples, rate) } }],
    });
    conn.sendText('turn.end', requestId, {});
  }

  private checkOpen(): void {
    if (!this.conn.isOpen) throw new TurnAborted();
  }
}
