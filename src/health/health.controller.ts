import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  MemoryHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { getHeapStatistics } from 'node:v8';
import { FLEET_HEALTH } from '../fleet/fleet-tokens';
import { CredentialHealthIndicator } from './credential-health.indicator';
import { EventLoopHealthIndicator } from './event-loop.health-indicator';
import {
  LIVE_ERROR_SCHEMA,
  LIVE_OK_SCHEMA,
  READY_ERROR_SCHEMA,
  READY_OK_SCHEMA,
} from './health-check.schema';
import { PoolHealthIndicator } from './pool-health.indicator';

/** Heap use above this share of V8's limit means the process is about to die of GC thrashing or OOM. */
const HEAP_LIMIT_SHARE = 0.95;

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly heapThresholdBytes = getHeapStatistics().heap_size_limit * HEAP_LIMIT_SHARE;

  constructor(
    private readonly health: HealthCheckService,
    private readonly eventLoop: EventLoopHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly pools: PoolHealthIndicator,
    private readonly credential: CredentialHealthIndicator,
    @Optional() @Inject(FLEET_HEALTH) private readonly fleet?: { check(): HealthIndicatorResult },
  ) {}

  // Terminus' own OpenAPI schemas show example `database` and `redis` entries; these show this service's.
  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'The process can serve', schema: LIVE_OK_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'The event loop is stuck or the heap is full',
    schema: LIVE_ERROR_SCHEMA,
  })
  @ApiOperation({
    summary: 'Liveness: 200 while the process can serve (event loop, heap); pool state plays no part',
  })
  live() {
    return this.health.check([
      () => this.eventLoop.check('event_loop'),
      () => this.memory.checkHeap('heap', this.heapThresholdBytes),
    ]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Every pool can hand out clients', schema: READY_OK_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'A pool cannot create clients, or shutdown has begun (reason in the entry)',
    schema: READY_ERROR_SCHEMA,
  })
  @ApiOperation({
    summary:
      'Readiness: one entry per pool (`credential` on Entra ID: down without a valid token; `fleet` in fleet mode, always up: ok or degraded); 503 when a pool is not ready, no valid token remains, or shutdown has begun',
  })
  ready() {
    const fleet = this.fleet;
    const checks = [...this.pools.checks(), ...this.credential.checks()];
    return this.health.check(fleet === undefined ? checks : [...checks, () => fleet.check()]);
  }
}
