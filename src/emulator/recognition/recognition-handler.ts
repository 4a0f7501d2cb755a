import { EmulatorConnection, newServiceId } from '../protocol/emulator-connection';
import { BinaryFrame, TextFrame } from '../protocol/frame-codec';
import { CloseCode, EmulatorServices, ProtocolHandler } from '../protocol/protocol-handler';
import { RecognitionTurn } from './recognition-turn';
import {
  modeFromSpeechConfig,
  RecognitionSettings,
  settingsFromQuery,
  withSpeechContext,
} from './recognition-settings';
import { parseWavHeader, WAVE_FORMAT_PCM, WavFormatError } from '../audio/wav-header';

export interface RecognitionEndpoint {
  language: string;
  /** What the URL says: the path's mode (none for the universal endpoint) and the recognizer's query options. */
  settings: RecognitionSettings;
}

interface ActiveTurn {
  requestId: string;
  turn: RecognitionTurn | undefined; // undefined until the audio format is known
  drop: boolean;
  ended: boolean;
}

const DEFAULT_SAMPLE_RATE = 16000;

/**
 * Recognition sockets (`/speech/recognition/{conversation,interactive,dictation}/cognitiveservices/v1`,
 * `/stt/speech/universal/v2`): `speech.config`, `speech.context`, then binary `audio` frames of one request
 * id — a RIFF header, PCM chunks, an empty frame for end of stream. Every reply carries the latest request id
 * (the SDK hangs on any other). A turn per request id: continuous mode ends it at end of stream, single-shot
 * after the first phrase.
 */
export class RecognitionHandler implements ProtocolHandler {
  private active: ActiveTurn | undefined;
  /** The URL's settings with the mode `speech.config` names (it beats the path's). */
  private connectionSettings: RecognitionSettings;
  /** ... with the latest `speech.context` applied: the SDK sends one before each turn's audio. */
  private settings: RecognitionSettings;

  constructor(
    private readonly conn: EmulatorConnection,
    private readonly services: EmulatorServices,
    private readonly endpoint: RecognitionEndpoint,
  ) {
    this.connectionSettings = endpoint.settings;
    this.settings = endpoint.settings;
  }

  onText(frame: TextFrame): void {
    switch (frame.path.toLowerCase()) {
      case 'speech.context':
        this.settings = withSpeechContext(this.connectionSettings, frame.body);
        this.services.logger.debug('recognition settings', {
          connection: this.conn.id,
          ...this.settings,
          phrases: this.settings.phrases.length,
        });
        return;
      case 'speech.config': {
        // A pre-connected recognizer connects to the interactive path before it knows its mode; this says it.
        const mode = modeFromSpeechConfig(frame.body);
        if (mode) this.connectionSettings = { ...this.connectionSettings, mode };
        this.settings = { ...this.settings, mode: mode ?? this.settings.mode };
        return;
      }
      case 'telemetry':
        return;
      default:
        this.services.logger.debug('ignoring recognition message', {
          connection: this.conn.id,
          path: frame.path,
        });
    }
  }

  onBinary(frame: BinaryFrame): void {
    if (frame.path.toLowerCase() !== 'audio') return;
    let active = this.active;
    if (!active || active.requestId.toLowerCase() !== frame.requestId.toLowerCase()) {
      if (active) this.finishTurn(active, false); // superseded by a newer request
      active = this.startTurn(frame.requestId);
    }
    if (active.ended) return; // single-shot already answered; the client stops sending soon
    if (frame.body.length === 0) {
      if (active.drop) return this.drop();
      active.turn ??= this.createTurn(active, DEFAULT_SAMPLE_RATE); // end of stream before any audio
      active.turn.endOfStream();
      this.finishTurn(active, true);
      return;
    }
    let audio = frame.body;
    if (!active.turn) {
      const format = this.readFormat(audio);
      if (!format) return;
      active.turn = this.createTurn(active, format.sampleRate);
      audio = audio.subarray(format.dataOffset);
    }
    active.turn.pushAudio(audio);
    if (active.drop && active.turn.samplesReceived >= DEFAULT_SAMPLE_RATE / 4) return this.drop();
    if (active.turn.done) this.finishTurn(active, true);
  }

  onClose(): void {
    this.active = undefined;
  }

  private startTurn(requestId: string): ActiveTurn {
    this.services.counters.recognitionStarted();
    this.conn.beginTurn();
    const active: ActiveTurn = {
      requestId,
      turn: undefined,
      drop: this.services.takeDropFault(),
      ended: false,
    };
    this.active = active;
    this.conn.sendText('turn.start', requestId, { context: { serviceTag: newServiceId() } });
    return active;
  }

  /** The first audio frame of a turn carries a WAV header; raw PCM without one is taken as 16 kHz. */
  private readFormat(audio: Buffer): { sampleRate: number; dataOffset: number } | undefined {
    if (audio.length < 4 || audio.toString('ascii', 0, 4) !== 'RIFF') {
      return { sampleRate: DEFAULT_SAMPLE_RATE, dataOffset: 0 };
    }
    try {
      const wav = parseWavHeader(audio);
      if (wav.formatTag !== WAVE_FORMAT_PCM || wav.bitsPerSample !== 16 || wav.channels !== 1) {
        this.conn.close(CloseCode.badRequest, 'Unsupported audio format: only 16-bit mono PCM');
        return undefined;
      }
      if (wav.sampleRate < 8000 || wav.sampleRate > 48000) {
        this.conn.close(CloseCode.badRequest, `Unsupported sample rate ${wav.sampleRate}`);
        return undefined;
      }
      return { sampleRate: wav.sampleRate, dataOffset: wav.dataOffset };
    } catch (e) {
      this.conn.close(
        CloseCode.badRequest,
        e instanceof WavFormatError ? `Invalid audio header: ${e.message}` : 'Invalid audio header',
      );
      return undefined;
    }
  }

  private createTurn(active: ActiveTurn, sampleRate: number): RecognitionTurn {
    return new RecognitionTurn({
      sampleRate,
      settings: this.settings,
      memory: this.services.memory,
      send: (path, body) => this.conn.sendText(path, active.requestId, body),
    });
  }

  private finishTurn(active: ActiveTurn, sendTurnEnd: boolean): void {
    if (active.ended) return;
    active.ended = true;
    if (sendTurnEnd) this.conn.sendText('turn.end', active.requestId, {});
    this.conn.endTurn();
  }

  private drop(): void {
    this.conn.close(CloseCode.serverError, 'Emulated mid-stream failure');
  }
}

/** Maps a request path (and query) to a recognition endpoint; undefined when it is none. */
export function recognitionEndpointFor(
  pathname: string,
  query: URLSearchParams,
): RecognitionEndpoint | undefined {
  const language = query.get('language') ?? 'en-US';
  const match =
    /^\/speech\/recognition\/(conversation|interactive|dictation)\/cognitiveservices\/v1\/?$/i.exec(pathname);
  if (match) {
    const mode = match[1].toLowerCase() === 'interactive' ? 'single-shot' : 'continuous';
    return { language, settings: settingsFromQuery(query, mode) };
  }
  if (/^\/stt\/speech\/universal\/v2\/?$/i.test(pathname)) {
    return { language, settings: settingsFromQuery(query, undefined) };
  }
  return undefined;
}
