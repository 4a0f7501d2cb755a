import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateEnv } from '../../src/config/validate-env';
import { createTestApp, type TestApp } from '../support/app/create-test-app';
import { freePort } from '../support/process/service-process';
import { DockerIgnore } from '../support/deploy/dockerignore';
import {
  execForm,
  instructionsOf,
  parseDockerfile,
  parseHealthcheck,
  type Instruction,
  type Stage,
} from '../support/deploy/dockerfile';

/**
 * What can be checked about the image without a Docker engine: base images, stages, user, ports, signals, the
 * start command, the health check (run for real against the app) and the build context.
 */
const ROOT = join(__dirname, '..', '..');
const dockerfile = parseDockerfile(join(ROOT, 'Dockerfile'));
const dockerignore = DockerIgnore.read(join(ROOT, '.dockerignore'));
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

const final = dockerfile.stages[dockerfile.stages.length - 1];
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage named ${name}`);
  return found;
};
const last = (s: Stage, keyword: string): Instruction | undefined => instructionsOf(s, keyword).at(-1);
const runs = (s: Stage): string[] => instructionsOf(s, 'RUN').map((i) => i.args);

describe('Dockerfile', () => {
  it('builds every stage from one pinned Node 20 slim image that satisfies package.json engines', () => {
    const names = new Set(dockerfile.stages.map((s) => s.name));
    const images = new Set(dockerfile.stages.map((s) => s.from).filter((from) => !names.has(from)));
    expect(images.size).toBe(1);
    const [image] = images;
    const match = /^node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/.exec(image);
    expect(match).not.toBeNull(); // a full version, never a moving tag like node:20 or node:lts
    const [major, minor] = [Number(match![1]), Number(match![2])];
    const engines = /^>=(\d+)\.(\d+) <(\d+)$/.exec(packageJson.engines.node)!;
    expect(major).toBeGreaterThanOrEqual(Number(engines[1]));
    expect(major).toBeLessThan(Number(engines[3]));
    if (major === Number(engines[1])) expect(minor).toBeGreaterThanOrEqual(Number(engines[2]));
    expect(major).toBe(Number(process.versions.node.split('.')[0])); // the Node the tests run on
  });

  it('compiles in a build stage and keeps dev dependencies out of the final image', () => {
    expect(final.name).toBe('service');
    expect(runs(stage('build'))).toEqual(expect.arrayContaining(['npm run build']));
    // The final stage installs from the lockfile without dev dependencies, and takes only dist/ from the build.
    expect(runs(final).some((r) => /^npm ci --omit=dev\b/.test(r))).toBe(true);
    expect(runs(final).some((r) => /\bnpm (install|i)\b|\bnpm ci(?! --omit=dev)/.test(r))).toBe(false);
    const fromOtherStages = instructionsOf(final, 'COPY').filter((c) => c.args.startsWith('--from='));
    expect(fromOtherStages.map((c) => c.args)).toEqual(['--from=build /app/dist ./dist']);
    expect(
      instructionsOf(final, 'COPY')
        .filter((c) => !c.args.startsWith('--from='))
        .map((c) => c.args),
    ).toEqual(['package.json package-lock.json ./']);
  });

  it('runs as a non-root user', () => {
    for (const s of [final, stage('emulator')]) {
      const user = last(s, 'USER')?.args;
      expect(user).toBeDefined();
      const [uid] = user!.split(':');
      expect(uid).toMatch(/^\d+$/); // numeric: Kubernetes' runAsNonRoot can only verify a number
      expect(Number(uid)).toBeGreaterThan(0);
    }
  });

  it('starts the service with node itself as PID 1, stopped by SIGTERM', () => {
    expect(instructionsOf(final, 'ENTRYPOINT')).toEqual([]);
    const cmd = execForm(last(final, 'CMD')!.args);
    expect(cmd).toEqual(['node', 'dist/main.js']);
    // What `npm start` runs after its build step (`exec` only makes npm's shell hand over to node).
    expect(cmd!.join(' ')).toBe(packageJson.scripts.start.replace(/^exec /, ''));
    expect(existsSync(join(ROOT, 'src', 'main.ts'))).toBe(true); // compiled to dist/main.js
    expect(last(final, 'STOPSIGNAL')?.args).toBe('SIGTERM');
  });

  it('exposes the port the service listens on by default', () => {
    expect(instructionsOf(final, 'EXPOSE').map((i) => i.args)).toEqual([String(validateEnv({}).port)]);
  });

  it('has espeak-ng only in the optional emulator target, which serves on all interfaces', () => {
    const emulator = stage('emulator');
    expect(runs(emulator).some((r) => r.includes('espeak-ng'))).toBe(true);
    for (const s of dockerfile.stages.filter((other) => other !== emulator)) {
      expect(s.instructions.some((i) => i.args.includes('espeak'))).toBe(false);
    }
    const cmd = execForm(last(emulator, 'CMD')!.args)!;
    expect(cmd.slice(0, 2)).toEqual(['node', 'dist/emulator/cli.js']);
    expect(existsSync(join(ROOT, 'src', 'emulator', 'cli.ts'))).toBe(true);
    expect(cmd[cmd.indexOf('--host') + 1]).toBe('0.0.0.0');
    expect(instructionsOf(emulator, 'EXPOSE').map((i) => i.args)).toEqual([cmd[cmd.indexOf('--port') + 1]]);
  });

  describe('HEALTHCHECK', () => {
    const healthcheck = parseHealthcheck(last(final, 'HEALTHCHECK')!.args);
    const command = execForm(healthcheck.command)!;
    let testApp: TestApp | undefined;

    afterEach(() => testApp?.app.close());

    function runHealthcheck(port: number): Promise<number> {
      expect(command[0]).toBe('node');
      return new Promise((resolve) => {
        const child = execFile(
          process.execPath,
          command.slice(1),
          { env: { PATH: process.env.PATH, PORT: String(port) } },
          () => resolve(child.exitCode ?? -1),
        );
      });
    }

    it('asks /health/live, which the app serves', async () => {
      expect(healthcheck.command).toContain("path:'/health/live'");
      testApp = await createTestApp();
      await testApp.app.listen(0, '127.0.0.1');
      const { port } = testApp.app.getHttpServer().address() as { port: number };
      expect(await runHealthcheck(port)).toBe(0);
    });

    it('fails when nothing answers on PORT', async () => {
      expect(await runHealthcheck(await freePort())).toBe(1);
    });

    it('gives a slow start time before failures count', () => {
      const seconds = (value: string | undefined): number => Number(/^(\d+)s$/.exec(value ?? '')?.[1]);
      expect(seconds(healthcheck.options.get('start-period'))).toBeGreaterThanOrEqual(30);
      expect(seconds(healthcheck.options.get('timeout'))).toBeLessThan(
        seconds(healthcheck.options.get('interval')),
      );
    });
  });
});

describe('.dockerignore', () => {
  const ignored = (path: string): boolean => dockerignore.ignores(path);

  it('keeps node_modules, build output, tests, benchmarks and git history out of the build context', () => {
    for (const path of [
      'node_modules/prom-client/package.json',
      'dist/main.js',
      'coverage/lcov.info',
      'test/metrics.e2e-spec.ts',
      'test/support/app/create-test-app.ts',
      'src/pools/warmable-resource-pool.spec.ts',
      'src/speech/tts-client.int-spec.ts',
      'bench/pool.bench.ts',
      '.git/HEAD',
      'deploy/kubernetes/base/deployment.yaml',
    ]) {
      expect([path, ignored(path)]).toEqual([path, true]);
    }
  });

  it('keeps secrets out, at the top and inside the sources', () => {
    for (const path of [
      '.env',
      '.env.production',
      'src/.env',
      'src/config/.env.local',
      'server.key',
      'src/speech/client.pem',
      'certs/tls.p12',
    ]) {
      expect([path, ignored(path)]).toEqual([path, true]);
    }
  });

  it('sends everything the Dockerfile copies from the context', () => {
    const sources = dockerfile.stages
      .flatMap((s) => instructionsOf(s, 'COPY'))
      .filter((c) => !c.args.startsWith('--'))
      .flatMap((c) => c.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect([source, ignored(source)]).toEqual([source, false]);
    }
  });

  it('sends exactly the sources the production build compiles', () => {
    // tsconfig.build.json leaves out specs; the context must hold every other source file.
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
    const compiled = (path: string): boolean => !/\.(int-)?spec\.ts$/.test(path);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) expect([file, ignored(file)]).toEqual([file, !compiled(file)]);
  });
});
