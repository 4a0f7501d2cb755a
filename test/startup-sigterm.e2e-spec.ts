import { isAlive, spawnBuiltService, waitForLine, type LogLine } from './support/process/built-service';
import { freePort } from './support/process/service-process';

/** The JSON log lines of output that also has npm's own banner lines. */
function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

describe('`npm start` under a supervisor (e2e, built service)', () => {
  it('drains and exits 0 when SIGTERM goes to the PID the supervisor holds (npm), leaving no server behind', async () => {
    const port = await freePort();
    const service = spawnBuiltService({ PORT: String(port), LOG_LEVEL: 'info' }, { via: 'npm' });
    let serverPid: number | undefined;
    try {
      const ready = await waitForLine(service, (l) => l.context === 'Startup' && l.startup !== undefined);
      serverPid = ready.pid;

      service.child.kill('SIGTERM'); // npm's PID, as a container runtime or process manager would
      expect(await service.exited).toBe(0);

      const messages = logLines(service.stdout()).map((l) => l.msg);
      expect(messages).toEqual(
        expect.arrayContaining([
          'shutting down: readiness is 503 from now on',
          expect.stringMatching(/^speech work drained/),
          expect.stringMatching(/^pools shut down/),
        ]),
      );
      expect(isAlive(serverPid)).toBe(false);
      await expect(fetch(`http://localhost:${port}/health/live`)).rejects.toThrow();
    } finally {
      service.child.kill('SIGKILL');
      if (serverPid !== undefined && isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  }, 120_000);
});
