import { createServer } from 'node:net';

/** Why the HTTP port cannot be used, in one sentence an operator can act on; undefined for other errors. */
export function describeListenError(error: unknown, port: number): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `port ${port} is in use; set PORT to a free port`;
  if (code === 'EACCES')
    return `port ${port} needs privileges this process does not have; set PORT to 1024 or above`;
  return undefined;
}

/**
 * Binds the port the service will listen on (every interface, as `app.listen(port)` does) and releases it at
 * once. Checked before anything else is created, so a busy port costs no emulator, upstream connections or
 * pools; `app.listen` can still lose a race for the port, and main.ts handles that too. Port 0 is always free.
 */
export function checkPortFree(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
