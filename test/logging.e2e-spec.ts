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
    // At debug, where successful requests are logged (at info only failed ones are).
    const logger = createRootLogger('debug', {
      write: (s: string) => void lines.push(JSON.parse(s) as Line),
    });
    ({ app } = await createTestApp({ override: (b) => b.overrideProvider(ROOT_LOGGER).useValue(logger) }));
  });
  afterAll(() => app.close());
  beforeEach(() => (lines.length = 0));

  const requestLines = () => lines.filter((l) => l.req !== undefined && l.res !== undefined);

  it('logs one short JSON line per API request, at debug, without headers and with credentials redacted', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/pools?token=t0ps3cret')
      .set('Authorization', 'Bearer t0ps3cret')
      .set('Ocp-Apim-Subscription-Key', 't0ps3cret')
      .set('X-Request-Id', 'req-42')
      .expect(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    const logged = requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual(
      expect.objectContaining({
        level: 'debug',
        msg: expect.stringMatching(/^GET \/api\/v1\/pools\?token=\S+ 200 in \d+ ms$/),
        req: { id: 'req-42', method: 'GET', url: expect.stringMatching(/^\/api\/v1\/pools\?token=/) },
        res: { statusCode: 200 },
      }),
    );
    expect(JSON.stringify(lines)).not.toContain('t0ps3cret');
    expect(JSON.stringify(lines)).not.toContain('headers');
  });

  it('logs 404s at warn', async () => {
    await request(app.getHttpServer()).get('/api/v1/pools/nope').expect(404);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(/^GET \/api\/v1\/pools\/nope 404 in \d+ ms$/),
        res: { statusCode: 404 },
      }),
    ]);
  });

  it('does not log probes, scrapes and static assets', async () => {
    const server = app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await request(server).get('/health/ready').expect(200);
    await request(server).get('/metrics').expect(200);
    // Not served by this app: logged otherwise, as every 404 is.
    await request(server).get('/assets/favicon.svg').expect(404);
    await request(server).get('/favicon.ico').expect(404);
    expect(requestLines()).toEqual([]);
  });

  it("sends Nest's own lines through the same logger, its boilerplate at debug", () => {
    new Logger('Pools').log('pools prepared');
    new Logger('RoutesResolver').log('PoolsController {/api/v1/pools}:');
    expect(lines.filter((l) => l.level !== 'debug')).toEqual([
      expect.objectContaining({ level: 'info', context: 'Pools', msg: 'pools prepared' }),
    ]);
  });
});
