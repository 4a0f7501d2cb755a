import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA (one round trip once Redis has it cached), falling back to EVAL when the server
 * does not know it yet (first use, or after a Redis restart emptied its script cache).
 */
export class LuaScript<R> {
  private readonly sha: string;

  constructor(
    readonly name: string,
    private readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<R> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as R;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.source, keys.length, ...keys, ...args)) as R;
    }
  }
}
