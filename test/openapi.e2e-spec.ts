import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp } from './support/create-test-app';

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
});
