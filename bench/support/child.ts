/**
 * Child processes for benchmarks that need isolation (the emulator's CPU, the server's memory, 10k sockets per
 * process): fork a TypeScript file through ts-node, wait for its `ready` message, call it over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';

interface RpcRequest {
  rpc: number;
  cmd: string;
  arg?: unknown;
}

interface RpcResponse {
  rpc: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

interface ReadyMessage {
  ready: true;
  info: unknown;
}

export interface Child<Info> {
  process: ChildProcess;
  info: Info;
  call<T>(cmd: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop (cmd `close`), then kills it if it has not exited within the grace. */
  stop(graceMs?: number): Promise<void>;
}

export interface ForkOptions {
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  /** Longest wait for `ready`. */
  startTimeoutMs?: number;
}

export async function forkTs<Info>(file: string, options: ForkOptions = {}): Promise<Child<Info>> {
  const child = fork(file, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextRpc = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${file} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (message: RpcResponse | ReadyMessage) => {
    if ('rpc' in message) {
      const p = pending.get(message.rpc);
      if (p === undefined) return;
      pending.delete(message.rpc);
      if (message.ok) p.resolve(message.value);
      else p.reject(new Error(message.error ?? 'child call failed'));
    }
  });

  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} was not ready within ${options.startTimeoutMs ?? 60_000} ms`));
    }, options.startTimeoutMs ?? 60_000);
    const onMessage = (message: RpcResponse | ReadyMessage): void => {
      if ('ready' in message) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message.info as Info);
      }
    };
    child.on('message', onMessage);
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready`));
    });
  });

  const call = <T>(cmd: string, arg?: unknown, timeoutMs = 600_000): Promise<T> => {
    if (exited) return Promise.reject(new Error(`${file} has exited`));
    const rpc = nextRpc++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(rpc);
        reject(new Error(`${file}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(rpc, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ rpc, cmd, arg } satisfies RpcRequest);
    });
  };

  return {
    process: child,
    info,
    call,
    async stop(graceMs = 15_000) {
      if (exited) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      call('close', undefined, graceMs).catch(() => undefined);
      await exit;
      clearTimeout(timer);
    },
  };
}

export type Handlers = Record<string, (arg: unknown) => unknown>;

/**
 * The child's side: announces `info` as ready, answers calls with `handlers`; `close` runs `onClose` and exits.
 * The child also exits when its parent goes away, so an interrupted benchmark leaves nothing running.
 */
export function serveParent(info: unknown, handlers: Handlers, onClose: () => Promise<void>): void {
  const send = (message: RpcResponse | ReadyMessage): void => {
    if (process.connected) process.send?.(message);
  };
  process.on('disconnect', () => {
    void onClose().finally(() => process.exit(0));
  });
  process.on('message', (message: RpcRequest) => {
    if (message.cmd === 'close') {
      void onClose()
        .catch(() => undefined)
        .finally(() => {
          send({ rpc: message.rpc, ok: true });
          process.exit(0);
        });
      return;
    }
    const handler = handlers[message.cmd];
    if (handler === undefined) {
      send({ rpc: message.rpc, ok: false, error: `unknown command ${message.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.arg))
      .then(
        (value) => send({ rpc: message.rpc, ok: true, value }),
        (error: unknown) => send({ rpc: message.rpc, ok: false, error: String(error) }),
      );
  });
  send({ ready: true, info });
}
