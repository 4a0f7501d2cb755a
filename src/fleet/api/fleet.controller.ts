import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FleetView } from './fleet-view';
import { FleetViewService } from './fleet-view.service';

/** Exists only in fleet mode (the module is not loaded otherwise, so the route is a 404 then). */
@ApiTags('fleet')
@Controller('api/v1/fleet')
export class FleetController {
  constructor(private readonly fleet: FleetViewService) {}

  @Get()
  @ApiOperation({
    summary:
      'Fleet mode: every live replica (ready, sessions, pool snapshots), the fleet budget per pool, Redis state',
  })
  @ApiOkResponse({
    description: '{ replicas, budget: { tts: { max, leased }, stt: { max, leased } }, redis }',
  })
  view(): Promise<FleetView> {
    return this.fleet.view();
  }
}
