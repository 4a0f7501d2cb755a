import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate as nextTurn } from 'node:timers/promises';

let gc: (() => void) | undefined;

/**
 * A full garbage collection, without starting Node with --expose-gc: the flag can be set at run time, and a
 * context created after that gets the `gc` function. Then waits two turns of the event loop, so finalization
 * callbacks (FinalizationRegistry) for what was collected have run before anyone counts.
 */
export async function collectGarbage(): Promise<void> {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  await nextTurn();
  await nextTurn();
}
