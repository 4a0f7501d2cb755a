import { expect } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { PoolClosedError, PoolTimeoutError } from '../pools/pool-errors';
import { SpeechError } from '../speech/speech-error';
import { payloadTooLarge, tooManyRequests } from './http-api-error';
import { toProblem } from './problem-details';

describe('toProblem', () => {
  it.each([
    [new SpeechError('BAD_REQUEST', 'no text'), 400, 'BAD_REQUEST', false, undefined],
    [payloadTooLarge('too big'), 413, 'BAD_REQUEST', false, undefined],
    [tooManyRequests('slow down', 0.2), 429, 'RATE_LIMITED', true, 0.2],
    [new SpeechError('UPSTREAM_THROTTLED', '429 upstream'), 502, 'UPSTREAM_THROTTLED', true, undefined],
    [new SpeechError('UPSTREAM_UNAVAILABLE', 'down'), 502, 'UPSTREAM_UNAVAILABLE', true, undefined],
    [new SpeechError('TIMEOUT', 'stalled'), 504, 'TIMEOUT', true, undefined],
    [new SpeechError('SHUTTING_DOWN', 'bye'), 503, 'SHUTTING_DOWN', true, 5],
    [new SpeechError('UNAUTHORIZED', 'who'), 401, 'UNAUTHORIZED', false, undefined],
    [new BadRequestException('nope'), 400, 'BAD_REQUEST', false, undefined],
  ])('%s -> %i %s', (error, status, code, retryable, retryAfter) => {
    const { body, retryAfterSeconds } = toProblem(error);
    expect(body).toEqual({
      type: `urn:warmline:error:${code.toLowerCase().replace(/_/g, '-')}`,
      title: expect.any(String),
      status,
      code,
      detail: (error as Error).message,
      retryable,
    });
    expect(retryAfterSeconds).toBe(retryAfter);
  });

  it('maps pool failures like the Socket.IO API does, with Retry-After', () => {
    const exhausted = toProblem(new PoolTimeoutError('tts', 5000));
    expect(exhausted.body).toMatchObject({ status: 503, code: 'POOL_EXHAUSTED', retryable: true });
    expect(exhausted.retryAfterSeconds).toBe(1);
    expect(toProblem(new PoolClosedError('tts')).body).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
  });

  it('turns body-parser failures into 400 and 413', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    const large = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
    });
    expect(toProblem(parse).body).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(toProblem(large).body).toMatchObject({ status: 413, code: 'BAD_REQUEST' });
  });

  it('hides unknown failures behind a generic 500 and hands them to the logger', () => {
    const logged: unknown[] = [];
    const secret = new Error('db password is hunter2');
    const { body } = toProblem(secret, (e) => logged.push(e));
    expect(body).toMatchObject({ status: 500, code: 'INTERNAL', detail: 'internal error', retryable: false });
    expect(logged).toEqual([secret]);
  });
});
