import type { IncomingMessage, ServerResponse } from 'node:http';
import { isQuietPath, requestId } from './http-logging';

describe('http logging', () => {
  it.each([
    ['/health/live', true],
    ['/health/ready?x=1', true],
    ['/metrics', true],
    ['/api/v1/pools', false],
    ['/metricsx', false],
    ['/assets/demo.js', true],
    ['/assets/favicon.svg?v=2', true],
    ['/favicon.ico', true],
    ['/', false],
    ['/dashboard', false],
    ['/healthy', false],
    [undefined, false],
  ])('isQuietPath(%p) is %p', (url, quiet) => {
    expect(isQuietPath(url)).toBe(quiet);
  });

  function ids(header: string | undefined): { id: string; echoed: unknown } {
    let echoed: unknown;
    const req = {
      headers: header === undefined ? {} : { 'x-request-id': header },
    } as unknown as IncomingMessage;
    const res = { setHeader: (_: string, v: unknown) => (echoed = v) } as unknown as ServerResponse;
    return { id: requestId(req, res), echoed };
  }

  it('keeps a well-formed X-Request-Id and echoes it', () => {
    expect(ids('abc-123')).toEqual({ id: 'abc-123', echoed: 'abc-123' });
  });

  it('replaces a missing or malformed X-Request-Id with a UUID', () => {
    for (const header of [undefined, 'two words', 'x'.repeat(200), 'a\nb']) {
      const { id, echoed } = ids(header);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(echoed).toBe(id);
    }
  });
});
