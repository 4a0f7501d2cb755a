import type { HttpApp } from './support/app/http-app';
import request from 'supertest';
import { createTestApp } from './support/app/create-test-app';

describe('OpenAPI (e2e)', () => {
  let app: HttpApp;

  beforeAll(async () => {
    ({ app } = await createTestApp());
  });
  afterAll(() => app.close());

  it('serves the UI at /api/docs', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/docs')
      .expect(200)
      .expect('Content-Type', /html/);
    expect(res.text).toContain('swagger-ui');
    expect(res.text).toContain('<title>warmline · API</title>');
  });

  it('says what the service offers today and links back to the demo and the dashboard', async () => {
    const description = at(await openApiDocument(), 'info', 'description') as string;
    expect(description).toContain('[← Demo](/)');
    expect(description).toContain('[Dashboard](/dashboard)');
    expect(description).toMatch(/HTTP speech API/);
    expect(description).not.toMatch(/pool state and health$/);
  });

  it('documents the REST and health routes with the snapshot schema', async () => {
    const doc = await openApiDocument();
    expect(keysAt(doc, 'paths').sort()).toEqual(
      ['/api/v1/pools', '/api/v1/pools/{name}', '/health/live', '/health/ready'].sort(),
    );
    const snapshot = at(doc, 'components', 'schemas', 'PoolSnapshotDto');
    expect(at(snapshot, 'required')).toEqual(
      expect.arrayContaining(['name', 'ready', 'warmPoolSize', 'maxSize', 'metrics']),
    );
    expect(at(snapshot, 'properties', 'maxSize')).toMatchObject({ type: 'number', nullable: true });
    expect(at(doc, 'components', 'schemas', 'PoolsResponseDto', 'properties', 'pools', '$ref')).toBe(
      '#/components/schemas/PoolsByNameDto',
    );
    expect(at(doc, 'paths', '/api/v1/pools/{name}', 'get', 'responses')).toHaveProperty('404');
  });

  it("documents the health responses with this service's entries, not Terminus' database/redis examples", async () => {
    const doc = await openApiDocument();
    const health = JSON.stringify([at(doc, 'paths', '/health/live'), at(doc, 'paths', '/health/ready')]);
    expect(health).not.toMatch(/database|redis/);
    const ready = at(doc, 'paths', '/health/ready', 'get', 'responses');
    expect(keysAt(ready).sort()).toEqual(['200', '503']);
    const example = ['content', 'application/json', 'schema', 'properties', 'details', 'example'];
    expect(keysAt(ready, '200', ...example)).toEqual(['tts', 'stt']);
    const live = at(doc, 'paths', '/health/live', 'get', 'responses');
    expect(keysAt(live, '200', ...example)).toEqual(['event_loop', 'heap']);
  });

  it('does not announce the framework (no X-Powered-By)', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  });

  async function openApiDocument(): Promise<unknown> {
    return (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as unknown;
  }
});

/** The value at `path` inside a parsed JSON document; fails naming the first step that is missing. */
function at(value: unknown, ...path: string[]): unknown {
  let here = value;
  for (const [i, key] of path.entries()) {
    if (typeof here !== 'object' || here === null || !(key in here)) {
      throw new Error(`no ${JSON.stringify(key)} at ${path.slice(0, i).join(' / ') || 'the top'}`);
    }
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

function keysAt(value: unknown, ...path: string[]): string[] {
  return Object.keys(at(value, ...path) as object);
}
