import type { WireFormat } from '../speech/audio-format';
import { prosodyRate, textToSsml } from '../speech/ssml';
import { checkEstimatedAudio, type AudioLimits } from './audio-limits';
import { badRequest } from './error-body';
import { analyzeSsml, estimateTextMs } from './ssml-analysis';
import { illegalCharacterProblem } from './xml-characters';

/** What a client asks to have spoken: exactly one of `text` and `ssml`. */
export interface SynthesisInput {
  text?: string;
  ssml?: string;
  /** Voice for `text` (SSML names its own voices). */
  voice: string;
  format: WireFormat;
  /** Speaking rate for `text` (1 = normal; OpenAI's `speed`), spoken as SSML prosody rate, clamped. */
  speed?: number;
  /** An Azure speaking style for `text` (`<mstts:express-as>`). */
  style?: string;
  /** What the client called the text field (`text`, OpenAI's `input`), for error messages. Default `text`. */
  textField?: string;
}

export interface InputChecks {
  limits: AudioLimits;
  /** Whether the upstream has a voice of this name; absent: every name is taken as known. */
  knownVoice?: (name: string) => boolean;
}

/**
 * The SSML to send upstream for `input`, after the checks every transport makes before anything reaches the
 * upstream: characters XML 1.0 does not allow, malformed SSML, unknown voices, and audio that would exceed the
 * per-request limits. Text is escaped into SSML (at its speaking rate) in one step: nothing built here is parsed
 * again. Throws a BAD_REQUEST SpeechError naming the problem.
 */
export function prepareSsml(input: SynthesisInput, checks: InputChecks): string {
  let ssml: string;
  let voices: string[];
  let estimatedMs: number;
  if (input.ssml !== undefined) {
    const check = analyzeSsml(input.ssml);
    if (!check.ok) throw badRequest(check.reason);
    ssml = input.ssml;
    voices = check.analysis.voices;
    estimatedMs = check.analysis.estimatedMs;
  } else {
    const text = input.text ?? '';
    const problem = illegalCharacterProblem(input.textField ?? 'text', text);
    if (problem !== null) throw badRequest(problem);
    const rate = input.speed === undefined || input.speed === 1 ? 1 : prosodyRate(input.speed);
    ssml = textToSsml(text, input.voice, rate, input.style);
    voices = [input.voice];
    estimatedMs = estimateTextMs(text, rate);
  }
  if (checks.knownVoice !== undefined) {
    for (const voice of voices) {
      if (!checks.knownVoice(voice)) {
        throw badRequest(
          `unknown voice ${JSON.stringify(voice.slice(0, 100))}; the upstream has no such voice`,
        );
      }
    }
  }
  checkEstimatedAudio(estimatedMs, input.format, checks.limits);
  return ssml;
}
