/** Attribute names of warmline's spans (OpenTelemetry's `error.type` for failures). */
export const SPAN_ATTRIBUTES = {
  sessionId: 'warmline.session.id',
  sessionResumed: 'warmline.session.resumed',
  requestId: 'warmline.request.id',
  voice: 'warmline.voice',
  language: 'warmline.language',
  tier: 'warmline.tier',
  poolWaitMs: 'warmline.pool.wait_ms',
  firstByteMs: 'warmline.first_byte_ms',
  audioBytes: 'warmline.audio.bytes',
  finals: 'warmline.recognition.finals',
  outcome: 'warmline.outcome',
  retryable: 'warmline.error.retryable',
} as const;

export const SPAN_NAMES = {
  session: 'voice.session',
  synthesis: 'tts.synthesize',
  recognition: 'stt.recognize',
} as const;
