import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type PoolRegistry, POOL_REGISTRY } from './pool-tokens';
import type { PoolSnapshot } from '../pools/pool-snapshot';
import { PoolSnapshotDto, PoolsResponseDto } from './pool-snapshot.dto';

export interface PoolsResponse {
  pools: Record<string, PoolSnapshot>;
}

/** Longest pool name echoed back in a 404 (the name comes from the URL). */
const MAX_ECHOED_NAME = 64;

@ApiTags('pools')
@Controller('api/v1/pools')
export class PoolsController {
  constructor(@Inject(POOL_REGISTRY) private readonly pools: PoolRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Snapshots of every pool' })
  @ApiOkResponse({ type: PoolsResponseDto })
  list(): PoolsResponse {
    return { pools: Object.fromEntries([...this.pools].map(([name, pool]) => [name, pool.snapshot()])) };
  }

  @Get(':name')
  @ApiOperation({ summary: 'Snapshot of one pool' })
  @ApiParam({ name: 'name', enum: ['tts', 'stt'] })
  @ApiOkResponse({ type: PoolSnapshotDto })
  @ApiNotFoundResponse({ description: 'No pool by that name' })
  get(@Param('name') name: string): PoolSnapshot {
    const pool = this.pools.get(name);
    if (pool === undefined) {
      const known = [...this.pools.keys()].join(', ');
      throw new NotFoundException(`Unknown pool "${name.slice(0, MAX_ECHOED_NAME)}"; known pools: ${known}`);
    }
    return pool.snapshot();
  }
}
