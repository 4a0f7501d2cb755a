/**
 * Run as its own Node process by tracing.e2e-spec.ts: the OTLP exporter loads `http` with a dynamic import(),
 * which Jest's module sandbox cannot run, so the real export path is exercised here. Configured only by the
 * OTEL_* environment, as the service is; records one session with one synthesis under TRACEPARENT, then shuts
 * tracing down (which flushes) and exits.
 */
import { createRootLogger } from '../../../src/logging/root-logger';
import { AllocationTier } from '../../../src/pools/allocation-tier';
import { createTracing } from '../../../src/tracing/create-tracing';

async function main(): Promise<void> {
  const tracing = createTracing(process.env, createRootLogger('warn'));
  const parent = tracing.parentFromHandshake({
    auth: { token: 'key', traceparent: process.env.TRACEPARENT },
    headers: {},
  });
  const session = tracing.startSession('session-e2e', parent);
  const synthesis = tracing.startSynthesis(session, 'request-e2e', 'en-US-JennyNeural');
  synthesis.setTier(AllocationTier.DEDICATED);
  synthesis.setFirstByteMs(4.2);
  synthesis.end();
  session.end();
  await tracing.shutdown();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
