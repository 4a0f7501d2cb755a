import { parseCommandLine, runCommand, UsageError, USAGE_EXIT_CODE, wantsHelp } from './usage';

const USAGE = 'usage: tool [--size N] FILE';

function capture() {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  return { ...out, log: (t: string) => out.stdout.push(t), error: (t: string) => out.stderr.push(t) };
}

const parse = (argv: readonly string[]) => {
  const { values, positionals } = parseCommandLine(argv, {
    allowPositionals: true,
    options: { size: { type: 'string', default: '1' } },
  });
  if (positionals.length !== 1) throw new UsageError('give one FILE');
  return { size: Number(values.size), file: positionals[0] };
};

describe('the command-line front shared by the CLIs', () => {
  it('runs the command with the parsed arguments and returns its exit code', async () => {
    const out = capture();
    const seen: unknown[] = [];
    const code = await runCommand(
      ['a.txt', '--size=3'],
      USAGE,
      parse,
      (args) => {
        seen.push(args);
        return Promise.resolve(7);
      },
      out,
    );
    expect(code).toBe(7);
    expect(seen).toEqual([{ size: 3, file: 'a.txt' }]);
    expect(out.stdout).toEqual([]);
    expect(out.stderr).toEqual([]);
  });

  it('prints the usage to stdout for --help or -h and exits 0 without running, whatever else is there', async () => {
    for (const argv of [['--help'], ['-h'], ['a.txt', '--bogus', '-h']]) {
      const out = capture();
      const run = jest.fn(() => Promise.resolve(1));
      expect(await runCommand(argv, USAGE, parse, run, out)).toBe(0);
      expect(out.stdout).toEqual([USAGE]);
      expect(run).not.toHaveBeenCalled();
    }
  });

  it.each([
    [['a.txt', '--bogus'], "Unknown option '--bogus'"],
    [['a.txt', '--size'], "Option '--size <value>' argument missing"],
    [[], 'give one FILE'],
  ])('exits 2 for %j, with the reason and the usage on stderr', async (argv, reason) => {
    const out = capture();
    expect(await runCommand(argv, USAGE, parse, () => Promise.resolve(0), out)).toBe(USAGE_EXIT_CODE);
    expect(USAGE_EXIT_CODE).toBe(2);
    expect(out.stdout).toEqual([]);
    expect(out.stderr).toHaveLength(1);
    expect(out.stderr[0]).toMatch(/^error: /);
    expect(out.stderr[0]).toContain(reason);
    expect(out.stderr[0].endsWith(`\n\n${USAGE}`)).toBe(true);
  });

  it('lets other errors through (they are not usage errors)', async () => {
    const broken = () => {
      throw new TypeError('a bug');
    };
    await expect(runCommand([], USAGE, broken, () => Promise.resolve(0), capture())).rejects.toThrow('a bug');
  });

  it('reads -h after -- as an argument, not a request for help', () => {
    expect(wantsHelp(['--', '-h'])).toBe(false);
    expect(wantsHelp(['-h', '--'])).toBe(true);
  });
});
