import { Controller, Get, Inject, ParseBoolPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type PoolRegistry, POOL_REGISTRY } from '../speech-pools/pool-tokens';
import { SDK_OBJECT_CENSUS, type SdkObjectCensus } from '../speech/sdk-object-census';
import { collectGarbage } from '../speech/collect-garbage';
import { memoryReport, type MemoryReport } from './memory-report';

/** Registered only with DEBUG_ENDPOINTS=true (see DebugModule.forRoot). */
@ApiTags('debug')
@Controller('debug')
export class DebugController {
  constructor(
    @Inject(POOL_REGISTRY) private readonly pools: PoolRegistry,
    @Inject(SDK_OBJECT_CENSUS) private readonly census: SdkObjectCensus,
  ) {}

  @Get('memory')
  @ApiOperation({
    summary: 'Heap, RSS, the pools’ books and live Speech SDK objects (DEBUG_ENDPOINTS=true only)',
  })
  @ApiQuery({ name: 'gc', required: false, type: Boolean, description: 'collect garbage before measuring' })
  async memory(@Query('gc', new ParseBoolPipe({ optional: true })) gc?: boolean): Promise<MemoryReport> {
    if (gc) await collectGarbage();
    return memoryReport(process.memoryUsage(), this.pools, this.census.snapshot(), gc === true);
  }
}
