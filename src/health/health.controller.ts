import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MemoryHealthIndicator } from '@nestjs/terminus';
import { getHeapStatistics } from 'node:v8';
import { EventLoopHealthIndicator } from './event-loop.health-indicator';
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
  ) {}

  @Get('live')
  @HealthCheck()
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
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: one entry per pool; 503 when a pool is not ready or shutdown has begun',
  })
  ready() {
    return this.health.check(this.pools.checks());
  }
}
