import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { EmulatorConnection, newServiceId } from '../protocol/emulator-connection';
import { BinaryFrame, serviceHeaders, TextFrame } from '../protocol/frame-codec';
import { encodeG711 } from '../audio/g711-codec';
import { CloseCode, EmulatorServices, ProtocolHandler } from '../protocol/protocol-handler';
import { parseSsml, ParsedSsml, SsmlParseError } from './ssml-parser';
import { RenderedSpeech } from './speech-voice';
import { resolveOutputFormat, riffHeaderFor, SynthesisOutputFormat } from './synthesis-output-format';
import { pcm16ToBytes } from '../audio/wav-header';

/** The service's SSML limit per turn. */
export const MAX_SSML_BYTES = 64 * 1024;
const CHUNK_MS = 50;
const TICKS_PER_SECOND = 10_000_000;

interface SynthesisRequestContext {
  outputFormat: string | undefined;
  wordBoundaries: boolean;
}

interface PendingTurn {
  requestId: string;
  ssml: string;
}

class TurnAborted extends Error {}

function ticks(samples: number, rate: number): number {
  return Math.round((samples * TICKS_PER_SECOND) / rate);
}

/** Reads what the emulator uses from a `synthesis.context` body; tolerant of missing sections. */
function readSynthesisContext(body: string): SynthesisRequestContext {
  const json = JSON.parse(body) as {
    synthesis?: { audio?: { outputFormat?: unknown; metadataOptions?: { wordBoundaryEnabled?: unknown } } };
  };
  const audio = json.synthesis?.audio;
  const format = audio?.outputFormat;
  const wordBoundary = audio?.metadataOptions?.wordBoundaryEnabled;
  return {
    outputFormat: typeof format === 'string' ? format : undefined,
    // The SDK sends a boolean or its string form; absent means the client did not say, so send them.
    wordBoundaries: wordBoundary === undefined || wordBoundary === true || wordBoundary === 'true',
  };
}

/**
 * `/tts/cognitiveservices/websocket/v1`: per `ssml` message one turn — `turn.start`, `response` (stream id),
 * word-boundary `audio.metadata`, binary `audio` chunks of {@link CHUNK_MS} ms, `SessionEnd` metadata,
 * `turn.end`. Turns on one socket run one after the other, like the service.
 */
export class SynthesisHandler implements ProtocolHandler {
  private readonly contexts = new Map<string, SynthesisRequestContext>();
  private readonly queue: PendingTurn[] = [];
  private running = false;
  private stopRequested: string | undefined;

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
        if (/"action"\s*:\s*"stop"/.test(frame.body)) this.stopRequested = frame.requestId.toLowerCase();
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

  private async runTurn({ requestId, ssml }: PendingTurn): Promise<void> {
    const { services, conn } = this;
    services.counters.synthesisStarted();
    const drop = services.takeDropFault();
    const context = this.contexts.get(requestId.toLowerCase()) ?? {
      outputFormat: undefined,
      wordBoundaries: true,
    };
    this.contexts.delete(requestId.toLowerCase());
    if (this.stopRequested === requestId.toLowerCase()) this.stopRequested = undefined;

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
    const request = {
      segments: parsed.segments,
      defaultVoice: parsed.voice,
      defaultLang: parsed.lang,
      sampleRate: format.sampleRate,
    };
    const speech = await services.voice.render(request);
    this.checkOpen();
    if (format.encoding === 'pcm16') {
      // Remembered before any audio leaves, so a recognizer fed this audio right away finds it.
      const key = `${format.sampleRate}|${services.voice.kind}|${parsed.voice ?? ''}|${parsed.lang ?? ''}|${JSON.stringify(parsed.segments)}`;
      services.store.add(key, speech);
    }
    conn.sendText('response', requestId, { context: { serviceTag }, audio: { type: 'inline', streamId } });
    const firstByteLatency = services.faults().firstByteLatencyMs;
    if (firstByteLatency > 0) await new Promise((resolve) => setTimeout(resolve, firstByteLatency));
    this.checkOpen();
    await this.streamAudio(requestId, streamId, speech, format, context.wordBoundaries, drop);
  }

  private async streamAudio(
    requestId: string,
    streamId: string,
    speech: RenderedSpeech,
    format: SynthesisOutputFormat,
    wordBoundaries: boolean,
    drop: boolean,
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
    let nextWord = 0;
    let sentSamples = 0;
    for (let chunk = 0; chunk < chunkCount; chunk++) {
      const start = chunk * chunkSamples;
      const end = Math.min(speech.samples.length, start + chunkSamples);
      if (this.stopRequested === requestId.toLowerCase()) break;
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
      let payload: Buffer =
        format.encoding === 'pcm16' ? pcm16ToBytes(samples) : encodeG711(samples, format.encoding);
      if (chunk === 0 && format.riffHeader) {
        const bytesPerSample = format.encoding === 'pcm16' ? 2 : 1;
        payload = Buffer.concat([riffHeaderFor(format, speech.samples.length * bytesPerSample), payload]);
      }
      conn.sendBinary(audioHeaders(), payload);
      sentSamples = end;
      await conn.drain();
      await yieldToLoop(); // audio goes out as produced, interleaved with other sockets' work
      this.checkOpen();
    }
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
