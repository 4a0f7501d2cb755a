import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { waitFor } from './support/wait-for';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(180_000);

const LINES = 200;
const CLI = join(__dirname, '..', 'src', 'batch', 'cli.ts');

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `npm run batch -- ...` as a real process (from source), talking to the service over HTTP. */
function batch(args: string[]): Run {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CLI, ...args], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

async function audioFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.wav')).sort();
}

describe('npm run batch (e2e)', () => {
  let emulator: RunningEmulator;
  let service: HttpSpeechApp;
  let work: string;
  let script: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    service = await startHttpSpeechApp({
      emulator,
      pools: { tts: { warmSize: 2, maxSize: 8, voice: 'en-US-JennyNeural' } },
    });
    work = await mkdtemp(join(tmpdir(), 'warmline-batch-'));
    script = join(work, 'course.txt');
    const paragraphs = Array.from(
      { length: LINES },
      (_, i) => `Lesson line ${i + 1}.\nIt continues on a second line of the same paragraph.`,
    );
    await writeFile(script, `${paragraphs.join('\n\n')}\n`);
  });
  afterEach(() => emulator.reset());
  afterAll(async () => {
    await service.close();
    await emulator.close();
    await rm(work, { recursive: true, force: true });
  });

  const args = (out: string) => [
    script,
    '--out',
    out,
    '--concurrency',
    '8',
    '--url',
    service.url,
    '--format',
    'wav-16k',
  ];

  it('voices all 200 lines through refused upgrades and streams cut off mid-way, retrying them', async () => {
    const out = join(work, 'faults');
    // Refused upgrades (the pool must open connections beyond its 2 warm ones) and turns cut off mid-stream.
    emulator.setFaults({ rejectNext: 4, dropMidStreamNext: 3 });
    const { code, stdout } = await batch(args(out)).done;
    expect(code).toBe(0);
    expect(await audioFiles(out)).toHaveLength(LINES);
    expect(stdout).toMatch(/done\s+200\b/);
    expect(stdout).toMatch(/failed\s+0\b/);
    const retries = Number(/retries\s+(\d+)/.exec(stdout)?.[1]);
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(stdout).toMatch(/tiers\s+.*(warm|cold|dedicated) \d+/);
    expect((await readdir(out)).filter((name) => name.endsWith('.part'))).toEqual([]);
    await waitFor(() => {
      const { inUse, metrics, size } = service.tts.snapshot();
      return inUse === 0 && metrics.resourcesCreated - metrics.resourcesDestroyed === size;
    }, 'every synthesizer back, the books balanced');
  });

  it('a second run after a kill resumes: finished files are not redone', async () => {
    const out = join(work, 'resume');
    emulator.setFaults({ realtimeFactor: 10 });
    const first = batch(args(out));
    const deadline = Date.now() + 60_000;
    while ((await audioFiles(out).catch(() => [])).length < 40 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const finished = await audioFiles(out);
    expect(finished.length).toBeGreaterThanOrEqual(40);
    expect(finished.length).toBeLessThan(LINES);
    const mtimes = new Map(
      await Promise.all(finished.map(async (name) => [name, (await stat(join(out, name))).mtimeMs] as const)),
    );

    emulator.setFaults({ realtimeFactor: 0 });
    const before = emulator.stats().syntheses;
    const { code, stdout } = await batch(args(out)).done;
    expect(code).toBe(0);
    expect(await audioFiles(out)).toHaveLength(LINES);
    expect(stdout).toMatch(new RegExp(`skipped \\(already complete\\)\\s+${finished.length}\\b`));
    expect(stdout).toMatch(new RegExp(`done\\s+${LINES - finished.length}\\b`));
    for (const [name, mtime] of mtimes) expect((await stat(join(out, name))).mtimeMs).toBe(mtime);
    // Only the missing lines were synthesized (warm-ups speak a word now and then, hence "at most" a few more).
    expect(emulator.stats().syntheses - before).toBeLessThan(LINES - finished.length + 10);
    // The killed run's temporary files were cleared away.
    expect((await readdir(out)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('Ctrl-C stops cleanly and says how to resume', async () => {
    const out = join(work, 'interrupted');
    emulator.setFaults({ realtimeFactor: 10 });
    const run = batch(args(out));
    const deadline = Date.now() + 60_000;
    while ((await audioFiles(out).catch(() => [])).length < 10 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    run.child.kill('SIGINT');
    const { code, stdout } = await run.done;
    expect(code).toBe(130);
    expect(stdout).toContain('Resume with:');
    expect(stdout).toContain(`npm run batch -- ${script} --out ${out}`);
    expect((await readdir(out)).filter((name) => name.endsWith('.part'))).toEqual([]);
    await waitFor(
      () => service.tts.snapshot().inUse === 0,
      'the abandoned requests gave their synthesizers back',
    );
  });
});
