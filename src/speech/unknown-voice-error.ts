import { SpeechError } from './speech-error';

/** The one wording for a voice the upstream does not have, whether we catch it up front or the upstream does. */
export function unknownVoiceError(voice: string): SpeechError {
  return new SpeechError(
    'BAD_REQUEST',
    `unknown voice "${voice}": the speech service has no voice by that name`,
  );
}

/**
 * The voice named by the upstream's refusal, if that is what it is: the service closes the socket with 1007 and
 * "Unsupported voice <name>." (the SDK adds " websocket error code: 1007").
 */
export function unsupportedVoiceIn(details: string): string | undefined {
  return /Unsupported voice (.+?)(?:\.\s|\.?$|\s+websocket error code)/.exec(details.trim())?.[1];
}
