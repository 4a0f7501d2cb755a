export { createTracing, openTelemetryTracing, SERVICE_NAME } from './create-tracing';
export {
  DISABLED_TRACING,
  NOOP_RECOGNITION_SPAN,
  NOOP_SESSION_SPAN,
  NOOP_SYNTHESIS_SPAN,
} from './noop-tracing';
export { SPAN_ATTRIBUTES, SPAN_NAMES } from './span-attributes';
export { TracingModule } from './tracing.module';
export { TracingSettingsError, tracingSettingsFromEnv } from './tracing-settings';
export {
  Tracing,
  type RecognitionSpan,
  type SessionSpan,
  type SpeechSpan,
  type SynthesisSpan,
  type TraceParent,
} from './tracing';
