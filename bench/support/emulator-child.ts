/** The speech emulator alone in a child process, so its CPU and memory are not the process under test's. */
import { startEmulator } from '../../src/emulator';
import { serveParent } from './child';

async function main(): Promise<void> {
  // Synthetic voice: deterministic and cheap, so the emulator's own cost stays small and constant across runs.
  const emulator = await startEmulator({ port: 0, voice: 'synthetic' });
  serveParent({ url: emulator.url, httpUrl: emulator.httpUrl }, {}, () => emulator.close());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
