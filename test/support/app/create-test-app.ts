import type { HttpApp } from './http-app';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AppModule, type ModuleImport } from '../../../src/app.module';
import { configureApp } from '../../../src/app.setup';
import { ENV_VARIABLES } from '../../../src/config/env.schema';
import { fakePoolRegistry, type FakePool } from '../pools/fake-pool';
import { FakePoolsModule } from '../pools/fake-pools.module';

export interface TestAppOptions {
  /** warmline variables for this app; every other warmline variable is unset while it is built. */
  env?: Record<string, string>;
  pools?: Map<string, FakePool>;
  features?: ModuleImport[];
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface TestApp {
  app: HttpApp;
  pools: Map<string, FakePool>;
}

/**
 * The real AppModule with fake pools, configured as main.ts configures it (not listening: supertest drives
 * `app.getHttpServer()`). The environment is read while the module graph is built, so it is swapped in only
 * for that and restored afterwards: a stray CI variable cannot change a test's outcome.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const pools = options.pools ?? fakePoolRegistry();
  const restore = useEnv(options.env ?? {});
  try {
    const builder = Test.createTestingModule({
      imports: [AppModule.forRoot({ pools: FakePoolsModule.register(pools), features: options.features })],
    });
    const moduleRef = await (options.override?.(builder) ?? builder).compile();
    const app = moduleRef.createNestApplication<HttpApp>();
    configureApp(app);
    await app.init();
    return { app, pools };
  } finally {
    restore();
  }
}

/** Sets exactly `env` among the known configuration variables; returns a function that puts everything back. */
export function useEnv(env: Record<string, string>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const name of new Set([...ENV_VARIABLES, ...Object.keys(env)])) {
    saved.set(name, process.env[name]);
    if (name in env) process.env[name] = env[name];
    else delete process.env[name];
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
