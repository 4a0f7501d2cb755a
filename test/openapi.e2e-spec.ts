import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp } from './support/app/create-test-app';

describe('OpenAPI (e2e)', () => {
  let app: INestApplication;

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
  });

  it('documents the REST and health routes with the snapshot schema', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(Object.keys(body.paths).sort()).toEqual(
      ['/api/v1/pools', '/api/v1/pools/{name}', '/health/live', '/health/ready'].sort(),
    );
    const snapshot = body.components.schemas.PoolSnapshotDto;
    expect(snapshot.required).toEqual(
      expect.arrayContaining(['name', 'ready', 'warmPoolSize', 'maxSize', 'metrics']),
    );
    expect(snapshot.properties.maxSize).toMatchObject({ type: 'number', nullable: true });
    expect(body.components.schemas.PoolsResponseDto.properties.pools.$ref).toBe(
      '#/components/schemas/PoolsByNameDto',
    );
    expect(body.paths['/api/v1/pools/{name}'].get.responses).toHaveProperty('404');
  });

  it("documents the health responses with this service's entries, not Terminus' database/redis examples", async () => {
    const { body } = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    const health = JSON.stringify([body.paths['/health/live'], body.paths['/health/ready']]);
    expect(health).not.toMatch(/database|redis/);
    const ready = body.paths['/health/ready'].get.responses;
    expect(Object.keys(ready).sort()).toEqual(['200', '503']);
    expect(Object.keys(ready['200'].content['application/json'].schema.properties.details.example)).toEqual([
      'tts',
      'stt',
    ]);
    const live = body.paths['/health/live'].get.responses;
    expect(Object.keys(live['200'].content['application/json'].schema.properties.details.example)).toEqual([
      'event_loop',
      'heap',
    ]);
  });

  it('does not announce the framework (no X-Powered-By)', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  });
});
