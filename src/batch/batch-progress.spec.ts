import { formatDuration, renderProgress } from './batch-progress';
import { renderSummary } from './batch-summary';

describe('batch progress and summary', () => {
  it('shows the bar, the rate of this run and the time left at that rate', () => {
    const line = renderProgress({
      total: 200,
      done: 40,
      skipped: 60,
      failed: 0,
      inFlight: 8,
      retrying: 1,
      audioSeconds: 123.4,
      elapsedMs: 20_000,
    });
    expect(line).toBe(
      '[############------------] 100/200 50% | 2.0/s | ETA 0:50 | 123 s audio | 1 retrying, 60 skipped',
    );
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('summarises done, skipped, failed with reasons, audio seconds and tiers', () => {
    const text = renderSummary({
      total: 5,
      done: 3,
      skipped: 1,
      failed: [{ id: '0004', reason: '400 BAD_REQUEST: unknown voice' }],
      notStarted: 0,
      audioSeconds: 75.5,
      tiers: { WARM: 2, COLD: 1 },
      retries: 2,
      elapsedMs: 4_000,
      stopped: false,
      gaveUp: null,
    });
    expect(text).toContain('done                        3');
    expect(text).toContain('audio                       75.5 s (1:16)');
    expect(text).toContain('tiers                       COLD 1, WARM 2');
    expect(text).toContain('failed:\n  0004: 400 BAD_REQUEST: unknown voice');
  });

  it('groups failures with the same reason into one line (ids in natural order), and says why a run gave up', () => {
    const refused = 'cannot reach http://127.0.0.1:9: fetch failed (connect ECONNREFUSED 127.0.0.1:9)';
    const text = renderSummary({
      total: 40,
      done: 0,
      skipped: 0,
      failed: [
        // in the order they finished, several at a time: listed in natural order
        ...[3, 1, 2, 5, 4, 7, 6].map((n) => ({ id: `000${n}`, reason: refused })),
        { id: '0008', reason: '400 BAD_REQUEST: unknown voice' },
      ],
      notStarted: 32,
      audioSeconds: 0,
      tiers: {},
      retries: 14,
      elapsedMs: 5_000,
      stopped: false,
      gaveUp: 'nobody answered at http://127.0.0.1:9 for 5 s',
    });
    expect(text.split('failed:\n')[1].split('\n')).toEqual([
      `  7 utterances (0001, 0002, 0003, 0004, 0005 and 2 more): ${refused}`,
      '  0008: 400 BAD_REQUEST: unknown voice',
      '',
      'gave up: nobody answered at http://127.0.0.1:9 for 5 s',
    ]);
    expect(text).toContain('not started                 32');
  });
});
