import { CancellationErrorCode } from 'microsoft-cognitiveservices-speech-sdk';
import { redactSecrets } from './speech-target';
import { upstreamError } from './upstream-error';

describe('upstreamError', () => {
  const refused = (status: number): string =>
    `Unable to contact server. StatusCode: 1006, undefined Reason: Unexpected server response: ${status}`;

  it('maps a 429 refusal to a retryable UPSTREAM_THROTTLED', () => {
    const error = upstreamError('synthesis', CancellationErrorCode.ConnectionFailure, refused(429));
    expect(error).toMatchObject({ code: 'UPSTREAM_THROTTLED', retryable: true, upstreamAuth: false });
  });

  it.each([401, 403])('maps %i to a non-retryable credentials error', (status) => {
    const error = upstreamError('connect', CancellationErrorCode.ConnectionFailure, refused(status));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamAuth: true });
    expect(error.message).toContain('AZURE_SPEECH_KEY');
  });

  it('maps other connection failures to a retryable UPSTREAM_UNAVAILABLE', () => {
    const error = upstreamError(
      'synthesis',
      CancellationErrorCode.ConnectionFailure,
      'websocket closed 1011',
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true, upstreamAuth: false });
  });

  it.each([
    ['Unsupported voice xx-XX-Nobody. websocket error code: 1007', 'xx-XX-Nobody'],
    [
      'Connection was closed by the remote host. Error code: 1007. Error details: Unsupported voice ' +
        'Microsoft Server Speech Text to Speech Voice (ar-SY, AmanyNeural). websocket error code: 1007',
      'Microsoft Server Speech Text to Speech Voice (ar-SY, AmanyNeural)',
    ],
    [
      'Error details: Unsupported voice ZeroshotNeuralVC. USP state: TurnStarted. Received audio size: 0 bytes.',
      'ZeroshotNeuralVC',
    ],
  ])('maps the service refusing a voice (%s) to a BAD_REQUEST naming it', (details, voice) => {
    const error = upstreamError('synthesis', CancellationErrorCode.BadRequestParameters, details);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
    expect(error.message).toContain(`"${voice}"`);
  });

  it('keeps the SDK details on one line', () => {
    const error = upstreamError(
      'connect',
      CancellationErrorCode.ConnectionFailure,
      'StatusCode: 1006,\n      ws://h Reason: x',
    );
    expect(error.message).toContain('StatusCode: 1006, ws://h Reason: x');
  });

  it('maps a 1007 close (bad parameters) to BAD_REQUEST', () => {
    expect(upstreamError('synthesis', CancellationErrorCode.BadRequestParameters, 'invalid ssml').code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('redactSecrets', () => {
  it('removes the key and key-bearing query parameters', () => {
    const target = { kind: 'host' as const, url: 'ws://h:1', key: 's3cr3t-key' };
    const text = 'wss://h/tts?Ocp-Apim-Subscription-Key=s3cr3t-key&X-ConnectionId=abc failed; key s3cr3t-key';
    const out = redactSecrets(text, target);
    expect(out).not.toContain('s3cr3t-key');
    expect(out).toContain('X-ConnectionId=abc');
  });
});
