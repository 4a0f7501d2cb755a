import { ApiProperty } from '@nestjs/swagger';
import type { PoolMetrics, PoolSnapshot, PoolUpstreamShare } from '../pools/pool-snapshot';

/**
 * OpenAPI descriptions of the pool snapshot shape. The controller returns the pools' own snapshots;
 * these classes exist for the document, and `implements` keeps them in step with the interfaces.
 */
export class PoolMetricsDto implements PoolMetrics {
  @ApiProperty({ example: 150 }) allocationsTotal!: number;
  @ApiProperty({ example: 120, description: "Served from the session's own cached client" })
  allocationsDedicated!: number;
  @ApiProperty({ example: 25, description: 'Served from the pre-connected warm queue' })
  allocationsWarm!: number;
  @ApiProperty({ example: 5, description: 'Created on demand' }) allocationsCold!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.967,
    description: '(dedicated + warm) / total; null before the first allocation',
  })
  hitRate!: number | null;
  @ApiProperty({ example: 42, description: 'Background maintenance cycles run' }) warmupCycles!: number;
  @ApiProperty({ example: 0 }) warmupFailures!: number;
  @ApiProperty({ example: 0 }) factoryFailures!: number;
  @ApiProperty({ example: 9 }) resourcesCreated!: number;
  @ApiProperty({ example: 2 }) resourcesDestroyed!: number;
  @ApiProperty({
    example: 1,
    description:
      'Warm clients above the warm size closed after staying unused (included in resourcesDestroyed)',
  })
  resourcesTrimmed!: number;
  @ApiProperty({ example: 0 }) staleSessionsEvicted!: number;
  @ApiProperty({ example: 0 }) acquireTimeouts!: number;
  @ApiProperty({ example: 1701705600123, description: 'Epoch ms when the snapshot was taken' })
  timestamp!: number;
}

export class PoolFactoryStatusDto implements Readonly<PoolSnapshot['factory']> {
  @ApiProperty({ example: 0 }) consecutiveFailures!: number;
  @ApiProperty({ example: 0, description: 'ms until the next background attempt; 0 when not backing off' })
  backoffRemainingMs!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Last factory failure; null after a success',
  })
  lastError!: string | null;
}

export class PoolUpstreamShareDto implements PoolUpstreamShare {
  @ApiProperty({ example: 'westeurope', description: 'Region or host (never a credential)' }) name!: string;
  @ApiProperty({
    example: 'closed',
    enum: ['closed', 'open', 'half-open'],
    description:
      'closed: takes new clients; open: skipped after repeated refusals; half-open: one probe may try',
  })
  circuit!: 'closed' | 'open' | 'half-open';
  @ApiProperty({ example: 5, description: 'Live clients on this upstream' }) resources!: number;
}
export class PoolSnapshotDto implements PoolSnapshot {
  @ApiProperty({ example: 'tts', enum: ['tts', 'stt'] }) name!: string;
  @ApiProperty({ example: true, description: 'Prepared, open, and the factory is not in failure backoff' })
  ready!: boolean;
  @ApiProperty({ example: 2, description: 'Idle pre-connected clients right now' }) warmPoolSize!: number;
  @ApiProperty({ example: 3, description: 'Warm clients the refill keeps ready' }) warmPoolTarget!: number;
  @ApiProperty({
    example: 6,
    description: 'Released clients are kept warm up to this many; extras unused for a while are closed',
  })
  warmPoolMax!: number;
  @ApiProperty({ type: Number, nullable: true, example: 64, description: 'null when uncapped' })
  maxSize!: number | null;
  @ApiProperty({ example: 7, description: 'Live clients: idle + session-bound + in use + being created' })
  size!: number;
  @ApiProperty({ example: 5 }) inUse!: number;
  @ApiProperty({ example: 0 }) pendingAcquires!: number;
  @ApiProperty({ example: true }) sessionAwareness!: boolean;
  @ApiProperty({ example: 5 }) activeSessions!: number;
  @ApiProperty({ example: true }) backgroundWarmup!: boolean;
  @ApiProperty({ type: PoolFactoryStatusDto }) factory!: PoolFactoryStatusDto;
  @ApiProperty({ type: PoolMetricsDto }) metrics!: PoolMetricsDto;
  @ApiProperty({
    type: [PoolUpstreamShareDto],
    required: false,
    description: 'The upstreams in priority order, with the clients on each',
  })
  upstreams?: PoolUpstreamShareDto[];
}

export class PoolsByNameDto {
  @ApiProperty({ type: PoolSnapshotDto }) tts!: PoolSnapshotDto;
  @ApiProperty({ type: PoolSnapshotDto }) stt!: PoolSnapshotDto;
}

export class PoolsResponseDto {
  @ApiProperty({ type: PoolsByNameDto }) pools!: PoolsByNameDto;
}
