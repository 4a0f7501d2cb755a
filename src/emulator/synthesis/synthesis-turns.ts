import { EmulatorConnection, newServiceId } from '../protocol/emulator-connection';
import { CloseCode, EmulatorServices } from '../protocol/protocol-handler';
import { findEmulatorVoice } from './emulator-voices';
import { partsOf, PartSource, speakParts } from './speak-parts';
import { planSpeech } from './speech-plan';
import { ParsedSsml, parseSsml, SsmlParseError } from './ssml-parser';
import { SynthesisRequestContext } from './synthesis-context';
import { resolveOutputFormat, SynthesisOutputFormat } from './synthesis-output-format';
import { TextStream } from './text-stream';
import { TurnAudio } from './turn-audio';
import { TurnMemory } from './turn-memory';

/** The service's SSML limit per turn. */
export const MAX_SSML_BYTES = 64 * 1024;

/** One turn's answer on one socket; `stopped` aborts on a stop for it or when the socket closes. */
export interface TurnScope {
  conn: EmulatorConnection;
  services: EmulatorServices;
  requestId: string;
  context: SynthesisRequestContext;
  stopped: AbortSignal;
}

/** Where a turn's audio goes, once its input has been checked: the turn has started (`turn.start` sent). */
interface StartedTurn {
  format: SynthesisOutputFormat;
  audio: TurnAudio;
  memory: TurnMemory;
  /** Names the turn's whole render (asked at the end, when a streamed turn's text is known). */
  key: () => string;
}

/**
 * Checks the output format, sends `turn.start`, checks the voices (an unknown one closes the socket with 1007
 * after `turn.start`, as the service does) and sets up the turn's audio. Undefined when the turn was refused.
 * `knownKey`: the whole render's name when the text is known up front (SSML), so a repeated render is not
 * recorded again; `turnKey` names it at the end.
 */
function startTurn(
  scope: TurnScope,
  voices: Array<string | undefined>,
  turnKey: () => string,
  knownKey?: string,
): StartedTurn | undefined {
  const { conn, services, requestId, context, stopped } = scope;
  const format = resolveOutputFormat(context.outputFormat);
  if (!format) {
    conn.close(CloseCode.badRequest, `Unsupported output format ${context.outputFormat ?? ''}`);
    return undefined;
  }
  const serviceTag = newServiceId();
  conn.sendText('turn.start', requestId, { context: { serviceTag } });
  const unknownVoice = voices.find((name) => name !== undefined && findEmulatorVoice(name) === undefined);
  if (unknownVoice !== undefined) {
    conn.close(CloseCode.badRequest, `Unsupported voice ${unknownVoice}.`);
    return undefined;
  }
  const faults = services.faults();
  const key = (): string => `${format.sampleRate}|${turnKey()}`;
  const memory = new TurnMemory(
    services.memory,
    format.sampleRate,
    knownKey === undefined ? undefined : `${format.sampleRate}|${knownKey}`,
  );
  const audio = new TurnAudio({
    conn,
    requestId,
    serviceTag,
    format,
    wordBoundaries: context.wordBoundaries,
    realtimeFactor: faults.realtimeFactor,
    firstByteLatencyMs: faults.firstByteLatencyMs,
    drop: services.takeDropFault(),
    remember: memory,
    leadMs: services.voice.leadMs,
    tailMs: services.voice.tailMs,
    stopped,
  });
  return { format, audio, memory, key };
}

async function speak(scope: TurnScope, turn: StartedTurn, source: PartSource): Promise<void> {
  let complete = false;
  try {
    await speakParts(source, scope.services.voice, turn.audio, turn.format.sampleRate, scope.stopped);
    await turn.audio.finish();
    complete = !scope.stopped.aborted;
  } finally {
    // Complete or not (stopped, failed, socket gone), what was sent is what a recognizer may hear.
    turn.memory.finish(complete ? turn.key() : undefined);
    turn.audio.dispose();
  }
}

/** A turn from one `ssml` message: its sentences are rendered and streamed one after the other. */
export async function answerSsmlTurn(scope: TurnScope, ssml: string): Promise<void> {
  const { conn, services } = scope;
  services.counters.synthesisStarted();
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
  const key = `${services.voice.kind}|${parsed.voice ?? ''}|${parsed.lang ?? ''}|${JSON.stringify(parsed.segments)}`;
  const turn = startTurn(scope, parsed.voiceNames, () => key, key);
  if (!turn) return;
  await speak(scope, turn, partsOf(planSpeech(parsed.segments, parsed.voice, parsed.lang)));
}

/**
 * A turn whose text streams in: each sentence is spoken as soon as its last piece has arrived, the rest once the
 * text has ended. Voice and language come from the turn's `synthesis.context`.
 */
export async function answerStreamTurn(scope: TurnScope, text: TextStream): Promise<void> {
  const { services, context } = scope;
  services.counters.synthesisStarted();
  const voice = context.textStream?.voice;
  const lang = context.textStream?.lang;
  const spoken: string[] = [];
  const turn = startTurn(
    scope,
    [voice],
    () => `${services.voice.kind}|stream|${voice ?? ''}|${lang ?? ''}|${JSON.stringify(spoken)}`,
  );
  if (!turn) return;
  const source: PartSource = {
    next: () => {
      const unit = text.take();
      if (unit === undefined) return undefined;
      spoken.push(unit);
      return { kind: 'unit', unit: { text: unit, voice, lang } };
    },
    get done() {
      return text.done;
    },
    wait: (signal) => text.wait(signal),
  };
  await speak(scope, turn, source);
}
