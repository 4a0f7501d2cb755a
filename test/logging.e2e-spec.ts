import { expect } from '@jest/globals';
import type { HttpApp } from './support/app/http-app';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { ROOT_LOGGER, createRootLogger } from '../src/logging/root-logger';
import { createTestApp } from './support/app/create-test-app';

interface Line {
  msg?: string;
  req?: { url?: string; headers?: Record<string, string> };
  res?: { statusCode?: number };
  [field: string]: unknown;
}

describe('request logging (e2e)', () => {
  let app: HttpApp;
  const lines: Line[] = [];

  beforeAll(async () => {
    const logger = createRootLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
    ({ app } = await createTestApp({ override: (b) => b.overrideProvider(ROOT_LOGGER).useValue(logger) }));
  });
  afterAll(() => app.close());
  beforeEach(() => (lines.length = 0));

  const requestLines = () => lines.filter((l) => l.req !== undefined && l.res !== undefined);

  it('logs one JSON line per API request, with credentials redacted', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/pools?token=t0ps3cret')
      .set('Authorization', 'Bearer t0ps3cret')
      .set('Ocp-Apim-Subscription-Key', 't0ps3cret')
      .set('X-Request-Id', 'req-42')
      .expect(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    const logged = requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      req: {
        id: 'req-42',
        headers: { authorization: '[REDACTED]', 'ocp-apim-subscription-key': '[REDACTED]' },
      },
      res: { statusCode: 200 },
    });
    expect(JSON.stringify(lines)).not.toContain('t0ps3cret');
  });

  it('logs 404s at warn', async () => {
    await request(app.getHttpServer()).get('/api/v1/pools/nope').expect(404);
    expect(requestLines()).toEqual([
      expect.objectContaining({ level: 'warn', res: expect.objectContaining({ statusCode: 404 }) }),
    ]);
  });

  it('does not log probes and scrapes', async () => {
    const server = app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await request(server).get('/health/ready').expect(200);
    await request(server).get('/metrics').expect(200);
    expect(requestLines()).toEqual([]);
  });

  it("sends Nest's own lines through the same logger, its boilerplate at debug", () => {
    new Logger('Pools').log('pools prepared');
    new Logger('RoutesResolver').log('PoolsController {/api/v1/pools}:');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Pools', msg: 'pools prepared' }),
    ]);
  });
});
