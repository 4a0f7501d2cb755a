import { expect } from '@jest/globals';
import { z } from 'zod';
import { PoolClosedError, PoolTimeoutError } from '../pools/pool-errors';
import { SpeechError } from '../speech/speech-error';
import { MAX_ERROR_MESSAGE_CHARS, badRequest, toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('maps pool errors', () => {
    expect(toErrorBody(new PoolTimeoutError('tts', 50))).toEqual({
      code: 'POOL_EXHAUSTED',
      message: expect.stringContaining('50 ms'),
      retryable: true,
    });
    expect(toErrorBody(new PoolClosedError('stt'))).toMatchObject({ code: 'SHUTTING_DOWN', retryable: true });
  });

  it('keeps speech and gateway errors as they are', () => {
    expect(toErrorBody(new SpeechError('UPSTREAM_THROTTLED', 'throttled'))).toEqual({
      code: 'UPSTREAM_THROTTLED',
      message: 'throttled',
      retryable: true,
    });
    expect(
      toErrorBody(new SpeechError('UPSTREAM_UNAVAILABLE', 'bad key', { retryable: false })),
    ).toMatchObject({
      retryable: false,
    });
    expect(toErrorBody(badRequest('nope'))).toEqual({
      code: 'BAD_REQUEST',
      message: 'nope',
      retryable: false,
    });
  });

  it('maps zod errors to BAD_REQUEST naming the fields', () => {
    const result = z.object({ a: z.string() }).safeParse({ a: 1 });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(toErrorBody(result.error)).toEqual({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/^a: /),
        retryable: false,
      });
    }
  });

  it('caps messages, which may quote client input', () => {
    const body = toErrorBody(new SpeechError('BAD_REQUEST', `requestId ${'x'.repeat(100_000)} is unknown`));
    expect(body.message.length).toBe(MAX_ERROR_MESSAGE_CHARS);
    expect(body.message.endsWith('…')).toBe(true);
  });

  it('lists at most five zod issues and says how many more there were', () => {
    const result = z.array(z.string()).safeParse(Array.from({ length: 250_000 }, (_v, i) => i));
    expect(result.success).toBe(false);
    if (!result.success) {
      const { message } = toErrorBody(result.error);
      expect(message).toMatch(/^0: .*; 4: [^;]*\(and 249995 more\)$/);
      expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
    }
  });

  it('hides anything else behind INTERNAL and hands it to the logger', () => {
    const logged: unknown[] = [];
    const secret = new Error('db password is hunter2');
    expect(toErrorBody(secret, (e) => logged.push(e))).toEqual({
      code: 'INTERNAL',
      message: 'internal error',
      retryable: false,
    });
    expect(logged).toEqual([secret]);
    expect(toErrorBody('a string').code).toBe('INTERNAL');
  });
});
