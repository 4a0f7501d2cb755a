import type { DynamicModule } from '@nestjs/common';
import { AccessModule, type AccessModuleOptions } from '../../../src/access/access.module';

/**
 * AccessModule for harnesses: no keys, the production request rate (20/s, burst 40) and per-key caps far out of
 * the way unless a test asks for them (each test's app is one caller: the loopback client).
 */
export function testAccessModule(options: Partial<AccessModuleOptions> = {}): DynamicModule {
  return AccessModule.forRoot({
    apiKeys: [],
    requestsPerSecond: 20,
    requestBurst: 40,
    maxConcurrentPerKey: 10_000,
    maxSessionsPerKey: 100_000,
    ...options,
  });
}
