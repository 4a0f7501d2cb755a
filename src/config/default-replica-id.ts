import { hostname } from 'node:os';

/**
 * REPLICA_ID's default: HOSTNAME (a Kubernetes pod's name), else this host's name and process id, which tells
 * apart several replicas on one machine.
 */
export function defaultReplicaId(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.HOSTNAME?.trim();
  return fromEnv ? fromEnv : `${hostname()}-${process.pid}`;
}
