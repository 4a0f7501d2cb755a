import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CredentialHealthIndicator } from './credential-health.indicator';
import { EventLoopHealthIndicator } from './event-loop.health-indicator';
import { HealthController } from './health.controller';
import { PoolHealthIndicator } from './pool-health.indicator';

/**
 * /health/live and /health/ready. Needs POOL_REGISTRY and ShutdownState (both global). Terminus' own error log
 * is off: readiness is down through every warm-up and outage, and the pool event log already says why.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [EventLoopHealthIndicator, PoolHealthIndicator, CredentialHealthIndicator],
})
export class HealthModule {}
