import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse as parseYaml } from 'yaml';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { FleetView } from '../../src/fleet/api/fleet-view';
import { freeLoopbackPort } from '../../src/fleet/local-fleet/redis-server-process';
import { FleetKeys } from '../../src/fleet/redis/fleet-keys';
import { closeAll, newClient, synthesize } from '../support/app/voice-harness';
import { validateManifest } from '../support/deploy/kubernetes-schema';
import { loadKustomizeBase, type Manifest } from '../support/deploy/kustomize';
import { describeWithRedis } from '../support/fleet/redis-server';
import { startWebApp, type WebApp } from '../support/web/web-app';

jest.setTimeout(120_000);

/**
 * The fleet's Redis (deploy/kubernetes/redis) against the Kubernetes schemas and the warmline base, then its
 * redis-server arguments run for real: two fleet replicas work as its ACL user, Redis denies them nothing (its
 * ACL log stays empty), and the user can reach nothing outside the fleet's prefix.
 */
const KUBERNETES = join(__dirname, '..', '..', 'deploy', 'kubernetes');
const REDIS = join(KUBERNETES, 'redis');
const redisBase = loadKustomizeBase(REDIS);
const warmline = loadKustomizeBase(join(KUBERNETES, 'base'));

function only<T>(kind: string, objects: Manifest[]): T & Manifest {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as unknown as T & Manifest;
}

const deployment = only<IDeployment>('Deployment', redisBase.objects);
const service = only<IService>('Service', redisBase.objects);
const policy = only<INetworkPolicy>('NetworkPolicy', redisBase.objects);
const [container] = deployment.spec!.template.spec!.containers as [IContainer];
const podLabels = deployment.spec!.template.metadata!.labels!;
const warmlineLabels = only<IDeployment>('Deployment', warmline.objects).spec!.template.metadata!.labels!;

/** The container's arguments as Kubernetes passes them: `$(VAR)` replaced by the variable's value. */
function argsWith(values: Record<string, string>): string[] {
  return (container.args ?? []).map((arg) =>
    arg.replace(/\$\((\w+)\)/g, (_, name: string) => {
      expect(values[name]).toBeDefined();
      return values[name];
    }),
  );
}

/** The ACL user line the manifest defines (`--user <name> ...rules`), as words. */
function userRules(name: string): string[] {
  const args = container.args ?? [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--user') continue;
    const words: string[] = [];
    for (let j = i + 1; j < args.length && !args[j].startsWith('--'); j++)
      words.push(...args[j].split(/\s+/));
    if (words[0] === name) return words.slice(1);
  }
  throw new Error(`no ACL user ${name} in the Redis arguments`);
}

describe('deploy/kubernetes/redis', () => {
  it('lists every manifest in the kustomization, and validates every object against the Kubernetes schemas', () => {
    const inFolder = readdirSync(REDIS).filter((f) => f !== 'kustomization.yaml');
    expect([...redisBase.files].sort()).toEqual(inFolder.sort());
    expect(redisBase.objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'NetworkPolicy', 'Service']);
    for (const object of redisBase.objects) expect(() => validateManifest(object)).not.toThrow();
  });

  it('renders with kustomize as this test reads it (when kubectl is installed)', () => {
    let rendered: string;
    try {
      rendered = execFileSync('kubectl', ['kustomize', REDIS], { encoding: 'utf8' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.warn('kubectl not installed: the kustomize rendering check was skipped');
      return;
    }
    const objects = rendered.split(/^---$/m).map((doc) => parseYaml(doc) as Manifest);
    const key = (o: Manifest): string => `${o.kind}/${o.metadata.name}`;
    const sorted = (list: Manifest[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(objects)).toEqual(sorted(redisBase.objects));
  });

  it('runs one Redis at a time (two would be two fleets), selected by its Service', () => {
    expect(deployment.spec!.replicas).toBe(1);
    expect(deployment.spec!.strategy?.type).toBe('Recreate');
    expect(podLabels).toMatchObject(deployment.spec!.selector.matchLabels!);
    expect(podLabels).toMatchObject(service.spec!.selector!);
    const portName = service.spec!.ports![0].targetPort;
    expect((container.ports ?? []).map((p) => p.name)).toContain(portName);
  });

  it('lets only the warmline pods in, and never evicts (a dropped lease would break the budget)', () => {
    expect(policy.spec!.podSelector.matchLabels).toEqual(deployment.spec!.selector.matchLabels);
    expect(policy.spec!.policyTypes).toEqual(['Ingress']);
    const [rule] = policy.spec!.ingress!;
    expect(rule.from).toEqual([{ podSelector: { matchLabels: warmlineLabels } }]);
    expect(rule.ports!.map((p) => p.port)).toEqual(container.ports!.map((p) => p.name));
    const args = container.args ?? [];
    expect(args[args.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(args[args.indexOf('--save') + 1]).toBe('');
  });

  it("limits the fleet's ACL user to the fleet's default prefix, with the default user off", () => {
    const prefix = new FleetKeys().prefix;
    expect(userRules('warmline')).toEqual(expect.arrayContaining([`~${prefix}*`, 'resetchannels']));
    expect(userRules('warmline')).not.toEqual(expect.arrayContaining(['~*', '&*', '+@all', 'allkeys']));
    expect(userRules('default')).toEqual(['off']);
    const password = container.env!.find((e) => e.name === 'REDIS_PASSWORD')!;
    expect(password.valueFrom?.secretKeyRef).toMatchObject({ name: 'warmline-redis', key: 'REDIS_PASSWORD' });
  });
});

describeWithRedis("deploy/kubernetes/redis's arguments on a real redis-server", () => {
  const PASSWORD = 'fleet-password-0123456789';
  const ADMIN = 'admin-password-0123456789';
  const KEY = 'redis-acl-key-0123456789';
  let server: ChildProcess;
  let port: number;
  let emulator: RunningEmulator;
  let admin: Redis;
  const apps: WebApp[] = [];
  const clients: ReturnType<typeof newClient>[] = [];

  beforeAll(async () => {
    port = await freeLoopbackPort();
    // The manifest's arguments as they are, plus a loopback port and an admin user for this test's checks.
    const args = [
      ...argsWith({ REDIS_PASSWORD: PASSWORD }),
      ...['--port', String(port), '--bind', '127.0.0.1', '--loglevel', 'warning'],
      ...['--user', 'test-admin', 'on', `>${ADMIN}`, '~*', '&*', '+@all'],
    ];
    let output = '';
    server = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    // Reconnects until the server accepts, then authenticates; a server that refused its arguments says why.
    admin = new Redis({ port, host: '127.0.0.1', username: 'test-admin', password: ADMIN });
    await admin.ping().catch((error: Error) => {
      throw new Error(`redis-server with the manifest's arguments: ${error.message}\n${output}`);
    });
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    for (const id of ['r-1', 'r-2']) {
      apps.push(
        await startWebApp({
          AZURE_SPEECH_HOST: emulator.url,
          AZURE_SPEECH_KEY: 'test-key',
          VOICE_API_KEYS: KEY,
          SPEECH_POOL_WARM_SIZE: '1',
          REDIS_URL: `redis://warmline:${PASSWORD}@127.0.0.1:${port}`,
          REPLICA_ID: id,
          SPEECH_FLEET_MAX_SIZE: '4',
          LOG_LEVEL: 'warn',
        }),
      );
    }
  });

  afterAll(async () => {
    closeAll(clients);
    for (const app of apps) await app.close();
    await emulator?.close();
    admin?.disconnect();
    server?.kill('SIGTERM');
  });

  it('serves two replicas as one fleet through the ACL user, with nothing denied', async () => {
    const results = await Promise.all(
      apps.map(async (app, i) => {
        const client = newClient(app.url, { token: KEY });
        clients.push(client);
        return synthesize(client, { text: `through the fleet's redis ${i}`, format: 'pcm-16k' });
      }),
    );
    expect(results.map((r) => r.audio.length > 0)).toEqual([true, true]);
    const view = (await (
      await fetch(`${apps[0].url}/api/v1/fleet`, { headers: { authorization: `Bearer ${KEY}` } })
    ).json()) as FleetView;
    expect(view.redis).toBe('ok');
    expect(view.replicas.map((r) => r.id).sort()).toEqual(['r-1', 'r-2']);
    // Every command, key and channel Redis refused since start-up (the adapter's subscriptions included).
    expect(await admin.call('ACL', 'LOG')).toEqual([]);
  });

  it('gives the fleet user nothing outside its prefix', async () => {
    const fleetUser = new Redis({ port, host: '127.0.0.1', username: 'warmline', password: PASSWORD });
    try {
      await expect(fleetUser.hset('other:key', 'a', '1')).rejects.toThrow(/NOPERM/);
      await expect(fleetUser.publish('other-channel', 'x')).rejects.toThrow(/NOPERM/);
      await expect(fleetUser.call('FLUSHALL')).rejects.toThrow(/NOPERM/);
      await expect(fleetUser.call('KEYS', '*')).rejects.toThrow(/NOPERM/);
      await expect(fleetUser.hset(`${new FleetKeys().prefix}probe`, 'a', '1')).resolves.toBe(1);
    } finally {
      fleetUser.disconnect();
    }
    const anonymous = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    anonymous.on('error', () => undefined); // the refused default user, expected here
    try {
      await expect(anonymous.call('GET', 'warmline:heartbeats')).rejects.toThrow(/NOAUTH|NOPERM/);
    } finally {
      anonymous.disconnect();
    }
  });
});
