import { AllocationTier } from '../pools/allocation-tier';
import {
  DISABLED_TRACING,
  NOOP_RECOGNITION_SPAN,
  NOOP_SESSION_SPAN,
  NOOP_SYNTHESIS_SPAN,
} from './noop-tracing';

describe('disabled tracing', () => {
  it('hands every caller the same frozen no-op spans (nothing allocated per call)', () => {
    const tracing = DISABLED_TRACING;
    expect(tracing.enabled).toBe(false);
    const session = tracing.startSession('s1', null);
    expect(session).toBe(NOOP_SESSION_SPAN);
    expect(tracing.startSession('s2', null)).toBe(session);
    expect(tracing.startSynthesis(session, 'r1', 'en-US-JennyNeural')).toBe(NOOP_SYNTHESIS_SPAN);
    expect(tracing.startSynthesis(null, 'r2')).toBe(NOOP_SYNTHESIS_SPAN);
    expect(tracing.startRecognition(session, 'r3', 'en-US')).toBe(NOOP_RECOGNITION_SPAN);
    for (const span of [NOOP_SESSION_SPAN, NOOP_SYNTHESIS_SPAN, NOOP_RECOGNITION_SPAN]) {
      expect(Object.isFrozen(span)).toBe(true);
    }
  });

  it('does not read trace headers', () => {
    const auth = {
      get traceparent(): string {
        throw new Error('read');
      },
    };
    expect(DISABLED_TRACING.parentFromHandshake({ auth, headers: {} })).toBeNull();
    expect(DISABLED_TRACING.parentFromHeaders({ traceparent: 'x' })).toBeNull();
  });

  it('accepts every call and records nothing', async () => {
    const span = DISABLED_TRACING.startSynthesis(null, 'r');
    span.setTier(AllocationTier.WARM);
    span.setPoolWaitMs(0.1);
    span.setFirstByteMs(3);
    span.setAudioBytes(1000);
    span.setOutcome('ok');
    span.recordError(new Error('x'));
    span.end();
    span.end();
    await expect(DISABLED_TRACING.flush()).resolves.toBeUndefined();
    await expect(DISABLED_TRACING.shutdown()).resolves.toBeUndefined();
  });
});
