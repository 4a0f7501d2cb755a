import { expect } from '@jest/globals';
import { REDACTED, redactUrl } from './redaction';
import { createRootLogger } from './root-logger';

function logOnce(fields: Record<string, unknown>): string {
  let line = '';
  createRootLogger('info', { write: (s: string) => void (line = s) }).info(fields, 'hello');
  return line;
}

describe('log redaction', () => {
  it('redacts credential headers of logged requests', () => {
    const line = logOnce({
      req: {
        url: '/api/v1/pools',
        headers: {
          authorization: 'Bearer secret-a',
          'ocp-apim-subscription-key': 'secret-b',
          cookie: 'sid=secret-c',
          accept: 'application/json',
        },
      },
    });
    expect(line).not.toMatch(/secret-/);
    expect(JSON.parse(line)).toMatchObject({
      req: {
        headers: {
          authorization: REDACTED,
          'ocp-apim-subscription-key': REDACTED,
          accept: 'application/json',
        },
      },
    });
  });

  it('redacts key and token fields at the top level and nested', () => {
    const line = logOnce({
      key: 'secret-1',
      token: 'secret-2',
      auth: { token: 'secret-3' },
      speech: { config: { key: 'secret-4' } },
      options: { 'Ocp-Apim-Subscription-Key': 'secret-5' },
      'Ocp-Apim-Subscription-Key': 'secret-6',
      pool: 'tts',
    });
    expect(line).not.toMatch(/secret-/);
    expect(JSON.parse(line)).toMatchObject({ key: REDACTED, auth: { token: REDACTED }, pool: 'tts' });
  });

  it('writes JSON with level names', () => {
    expect(JSON.parse(logOnce({}))).toMatchObject({ level: 'info', msg: 'hello', time: expect.any(String) });
  });

  it('redacts secret query parameters in URLs', () => {
    expect(redactUrl('/socket.io/?EIO=4&token=abc&transport=polling')).toBe(
      `/socket.io/?EIO=4&token=${encodeURIComponent(REDACTED)}&transport=polling`,
    );
    expect(redactUrl('/x?Subscription-Key=abc')).not.toContain('abc');
    expect(redactUrl('/api/v1/pools?verbose=1')).toBe('/api/v1/pools?verbose=1');
    expect(redactUrl('/health/ready')).toBe('/health/ready');
  });
});
