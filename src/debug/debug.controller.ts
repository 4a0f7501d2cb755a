import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PoolRegistry } from '../metrics/pool-registry';
import { POOL_REGISTRY } from '../pools-module/pool-tokens';
import { memoryReport, type MemoryReport } from './memory-report';

/** Registered only with DEBUG_ENDPOINTS=true (see DebugModule.forRoot). */
@ApiTags('debug')
@Controller('debug')
export class DebugController {
  constructor(@Inject(POOL_REGISTRY) private readonly pools: PoolRegistry) {}

  @Get('memory')
  @ApiOperation({ summary: 'Heap, RSS and live SDK client counts per pool (DEBUG_ENDPOINTS=true only)' })
  memory(): MemoryReport {
    return memoryReport(process.memoryUsage(), this.pools);
  }
}
