import { createServer, type Server } from 'node:net';
import { jsonLines, spawnBuiltService } from './support/process/built-service';

describe('start-up on a busy port (e2e, built service)', () => {
  let occupant: Server;
  let port: number;
  beforeAll(async () => {
    occupant = createServer();
    await new Promise<void>((resolve) => occupant.listen(0, resolve));
    ({ port } = occupant.address() as { port: number });
  });
  afterAll(() => new Promise<void>((resolve) => occupant.close(() => resolve())));

  it('says so in one JSON line and exits 1 before creating anything', async () => {
    // debug would show every module, the emulator and every upstream client created before the failure.
    const service = spawnBuiltService({ PORT: String(port), LOG_LEVEL: 'debug' });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toBe('');
    expect(jsonLines(service.stdout())).toEqual([
      expect.objectContaining({
        level: 'fatal',
        context: 'Startup',
        msg: `port ${port} is in use; set PORT to a free port`,
      }),
    ]);
  }, 60_000);
});
