import { Module } from '@nestjs/common';
import { PoolsController } from './pools.controller';

/** REST: GET /api/v1/pools and /api/v1/pools/:name. Needs POOL_REGISTRY (global). */
@Module({ controllers: [PoolsController] })
export class PoolsApiModule {}
