import type { DynamicModule } from '@nestjs/common';
import { AccessModule, type AccessModuleOptions } from '../../../src/access/access.module';

/**
 * AccessModule for harnesses: no keys, and per-key budgets far out of the way unless a test asks for them — every
 * client of a test app is the one loopback caller, so production budgets would limit the test, not a client.
 */
export function testAccessModule(options: Partial<AccessModuleOptions> = {}): DynamicModule {
  return AccessModule.forRoot({
    apiKeys: [],
    requestsPerSecond: 1_000,
    requestBurst: 1_000,
    maxConcurrentPerKey: 10_000,
    maxSessionsPerKey: 100_000,
    ...options,
  });
}
