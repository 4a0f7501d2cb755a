import type { Logger } from 'pino';

/**
 * Sends what Node itself would print — process warnings (deprecations, listener leaks) and a crash — through the
 * application's logger (`current()`, which changes once the configuration is loaded), so every line on stdout
 * has the log format. A crash still ends the process with exit code 1, as Node would.
 */
export function routeProcessEventsTo(current: () => Logger): void {
  // Node prints warnings to stderr from a listener of its own; it is replaced, not added to.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => current().warn({ err: warning }, `node: ${warning.message}`));
  const crash = (error: unknown, origin: string): void => {
    const message = error instanceof Error ? error.message : String(error);
    current().fatal({ err: error, origin }, `crashed (${origin}): ${message}`);
    process.exit(1);
  };
  process.on('uncaughtException', (error, origin) => crash(error, origin));
  process.on('unhandledRejection', (reason) => crash(reason, 'unhandledRejection'));
}
