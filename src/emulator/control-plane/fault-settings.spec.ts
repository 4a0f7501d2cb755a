import { defaultFaultSettings, FaultSettingsError, parseFaultSettings } from './fault-settings';

describe('parseFaultSettings', () => {
  it('fills fields not given with defaults (the body replaces the settings)', () => {
    expect(parseFaultSettings({})).toEqual(defaultFaultSettings());
    expect(parseFaultSettings({ rejectNext: 2, requireKey: 'k' })).toEqual({
      ...defaultFaultSettings(),
      rejectNext: 2,
      requireKey: 'k',
    });
  });

  it('accepts every field and null for the optional ones; idle 0 means off', () => {
    const all = {
      connectLatencyMs: 10,
      firstByteLatencyMs: 20,
      maxConnections: 3,
      rejectStatus: 503,
      rejectNext: 1,
      idleTimeoutMs: 0,
      dropMidStreamNext: 2,
      requireKey: null,
      realtimeFactor: 1.5,
      tokenTtlMs: 5_000,
      requireToken: true,
    };
    expect(parseFaultSettings(all)).toEqual({ ...all, idleTimeoutMs: null });
  });

  it.each([
    [{ rejectNext: '1' }, /rejectNext must be a non-negative integer/],
    [{ connectLatencyMs: -1 }, /connectLatencyMs/],
    [{ idleTimeoutMs: 1.5 }, /idleTimeoutMs/],
    [{ rejectStatus: 200 }, /rejectStatus must be an HTTP status/],
    [{ requireKey: 5 }, /requireKey/],
    [{ requireKey: '' }, /requireKey/],
    [{ realtimeFactor: -1 }, /realtimeFactor must be a non-negative number/],
    [{ realtimeFactor: '2' }, /realtimeFactor must be a non-negative number/],
    [{ bogus: 1 }, /unknown field "bogus"/],
    [[], /JSON object/],
    [null, /JSON object/],
  ])('rejects %j', (body, message) => {
    expect(() => parseFaultSettings(body)).toThrow(FaultSettingsError);
    expect(() => parseFaultSettings(body)).toThrow(message);
  });

  it('lists every problem at once', () => {
    try {
      parseFaultSettings({ rejectNext: 'x', maxConnections: 'y' });
      throw new Error('expected a FaultSettingsError');
    } catch (e) {
      expect((e as FaultSettingsError).problems).toHaveLength(2);
    }
  });
});
