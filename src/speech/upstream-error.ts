import { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';
import { SpeechError } from './speech-error';
import { unknownVoiceError, unsupportedVoiceIn } from './unknown-voice-error';

/**
 * Maps an SDK cancellation to a SpeechError. The SDK only reports the HTTP status of a refused upgrade inside
 * the details text ("Unexpected server response: 429"), so the text is what we read.
 */
export function upstreamError(
  what: string,
  errorCode: CancellationErrorCode | undefined,
  rawDetails: string,
): SpeechError {
  // The SDK's details embed a multi-line template; one line reads better in logs and acks.
  const details = rawDetails.replace(/\s+/g, ' ').trim();
  const status = /Unexpected server response: (\d{3})/.exec(details)?.[1];
  if (status === '429' || errorCode === CancellationErrorCode.TooManyRequests) {
    return new SpeechError('UPSTREAM_THROTTLED', `${what}: the speech service is throttling (HTTP 429)`);
  }
  if (status === '401' || status === '403' || errorCode === CancellationErrorCode.AuthenticationFailure) {
    return new SpeechError(
      'UPSTREAM_UNAVAILABLE',
      `${what}: the speech service rejected the credentials (HTTP ${status ?? '401'}); check AZURE_SPEECH_KEY`,
      { retryable: false, upstreamAuth: true },
    );
  }
  const voice = unsupportedVoiceIn(details);
  if (voice !== undefined) return unknownVoiceError(voice);
  if (errorCode === CancellationErrorCode.BadRequestParameters) {
    return new SpeechError('BAD_REQUEST', `${what}: the speech service rejected the request (${details})`);
  }
  if (errorCode === CancellationErrorCode.ServiceTimeout) {
    return new SpeechError('TIMEOUT', `${what}: the speech service timed out`);
  }
  return new SpeechError('UPSTREAM_UNAVAILABLE', `${what}: speech service connection failed (${details})`);
}
