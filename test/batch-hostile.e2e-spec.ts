import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/process/service-process';

jest.setTimeout(120_000);

const CLI = join(__dirname, '..', 'src', 'batch', 'cli.ts');
const SECRET = 'sk-batch-secret-0123456789';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run batch -- ...` as a real process (from source). */
function batch(args: string[]): Promise<Finished> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CLI, ...args], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, WARMLINE_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
    ),
  );
}

describe('npm run batch against a server that is down or hostile (e2e)', () => {
  let work: string;
  let script: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'warmline-batch-hostile-'));
    script = join(work, 'lines.jsonl');
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ id: `line-${i + 1}`, text: `line ${i + 1}` }),
    );
    await writeFile(script, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await rm(work, { recursive: true, force: true });
  });

  it('checks the server once before starting: nothing listening is one message and exit 1, not a line per utterance', async () => {
    const port = await freePort(); // nothing listens there
    const started = Date.now();
    const run = await batch([script, '--out', join(work, 'down'), '--url', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach warmline at http://127.0.0.1:${port} (connection refused)`);
    expect(run.stdout).not.toMatch(/line-\d/);
    expect(Date.now() - started).toBeLessThan(60_000); // bounds a failure (was minutes of retries), not a speed
  });

  it('gives up within seconds when the server goes away, instead of retrying every line', async () => {
    // Answers the check, then stops listening: every request of the run is refused.
    const server = createServer((request, response) => {
      response.setHeader('connection', 'close');
      response.end('ok', () => {
        server.close();
        server.closeAllConnections();
      });
    });
    servers.push(server);
    const url = await listen(server);
    const run = await batch([script, '--out', join(work, 'gone'), '--url', url, '--concurrency', '4']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/gave up: nobody answered at http:\/\/127\.0\.0\.1:\d+ for \d+ s/);
    const failures = run.stdout.split('failed:\n')[1]?.split('\n\n')[0].split('\n') ?? [];
    // The line that was in flight when the run gave up; the rest were not started (grouped lines: unit test).
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.length).toBeLessThanOrEqual(4);
    for (const line of failures) expect(line).toMatch(/ECONNREFUSED/);
    expect(run.stdout).toMatch(/not started +\d+/);
  });

  it('caps the audio it downloads, prints no escape sequence of the server, keeps foreign .part files and hides --token', async () => {
    let hugeBytes = 0;
    const server = createServer((request, response) => {
      if (request.url === '/health/live') return void response.end('{"status":"ok"}');
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { text } = JSON.parse(body) as { text: string };
        if (text === 'line 1') {
          response.writeHead(200, { 'content-type': 'audio/wav' });
          const chunk = Buffer.alloc(64 * 1024, 1);
          const pump = (): void => {
            while (!response.destroyed && hugeBytes < 512 * 1024 * 1024) {
              hugeBytes += chunk.length;
              if (!response.write(chunk)) return void response.once('drain', pump);
            }
          };
          return pump();
        }
        response.writeHead(400, { 'content-type': 'application/problem+json' });
        response.end(
          JSON.stringify({
            code: 'BAD\x1b[31mREQUEST',
            detail: 'no \x1b]0;pwned\x07title \x1b[1A\x1b[2Kfor you',
            retryable: false,
          }),
        );
      });
    });
    servers.push(server);
    const url = await listen(server);
    const out = join(work, 'hostile');
    await rm(out, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    await writeFile(join(out, '.download.part'), 'somebody else’s download');

    const run = await batch([script, '--out', out, '--url', url, '--token', SECRET, '--max-size', '1']);
    expect(run.code).toBe(1);
    const printed = run.stdout + run.stderr;
    expect(printed).not.toContain('\x1b');
    expect(printed).not.toContain(SECRET);
    expect(printed).toMatch(/line-1: the audio is larger than the --max-size cap \(1 MiB\)/);
    expect(printed).toMatch(/39 utterances \(line-2, .*\): 400 BADREQUEST: no title for you/);
    expect(printed).toContain('WARMLINE_API_KEY=<your key> npm run batch --');
    const left = await readdir(out);
    expect(left).toEqual(['.download.part']);
    expect((await stat(join(out, '.download.part'))).size).toBeGreaterThan(0);
    expect(hugeBytes).toBeLessThan(64 * 1024 * 1024); // the download stopped near the cap
  });
});
