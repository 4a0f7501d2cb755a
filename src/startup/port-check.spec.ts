import { createServer, type Server } from 'node:net';
import { checkPortFree, describeListenError } from './port-check';

describe('port check', () => {
  let occupant: Server;
  let port: number;
  beforeAll(async () => {
    occupant = createServer();
    await new Promise<void>((resolve) => occupant.listen(0, resolve));
    ({ port } = occupant.address() as { port: number });
  });
  afterAll(() => new Promise<void>((resolve) => occupant.close(() => resolve())));

  it('rejects a busy port with EADDRINUSE, described as one sentence naming PORT', async () => {
    const error = await checkPortFree(port).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EADDRINUSE' });
    expect(describeListenError(error, port)).toBe(`port ${port} is in use; set PORT to a free port`);
  });

  it('accepts a free port and releases it, and never checks port 0', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await expect(checkPortFree(free)).resolves.toBeUndefined();
    await expect(checkPortFree(free)).resolves.toBeUndefined(); // released: free again
    await expect(checkPortFree(0)).resolves.toBeUndefined();
  });

  it('describes a privileged port, and nothing else', () => {
    expect(describeListenError(Object.assign(new Error('x'), { code: 'EACCES' }), 80)).toMatch(
      /^port 80 needs privileges .*set PORT to 1024 or above$/,
    );
    expect(describeListenError(new Error('other'), 80)).toBeUndefined();
  });
});
