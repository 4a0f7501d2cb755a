import { OnDemandResourcePool } from '.';

/** Something with no use for pre-connecting: each connection is opened when a caller needs one. */
class Connection {
  closed = false;
  close(): void {
    this.closed = true; // the pool's default destroy calls close()
  }
}

export async function tour(): Promise<string[]> {
  const pool = new OnDemandResourcePool<Connection>({
    name: 'db',
    factory: () => Promise.resolve(new Connection()),
    maxSize: 2,
    sessionAwareness: true,
  });
  const seen: string[] = [];
  const first = await pool.acquireForSession('alice'); // opened for alice
  const again = await pool.acquireForSession('alice'); // alice's own connection
  seen.push(first.tier, again.tier); // 'cold', 'dedicated'

  await pool.sessionIdle('alice'); // alice keeps it, but is not using it now
  await pool.acquireForSession('bob'); // opened for bob: the pool is at its cap (2)
  const report = await pool.acquire({ timeoutMs: 0 }); // would wait: takes alice's idle connection instead
  seen.push(report === first.resource ? 'reclaimed' : 'opened');
  await pool.release(report); // no warm stack: what comes back is closed
  seen.push((await pool.acquireForSession('alice')).tier); // 'cold': alice lost hers

  await pool.shutdown(); // closes every connection it holds
  const { resourcesCreated, resourcesDestroyed } = pool.snapshot().metrics;
  seen.push(`${resourcesCreated} opened, ${resourcesDestroyed} closed`);
  return seen; // ['cold', 'dedicated', 'reclaimed', 'cold', '3 opened, 3 closed']
}
