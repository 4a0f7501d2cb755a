/** The benchmarks' pure helpers (bench/support): percentiles, the regression slope, the load test's CLI. */
import { parseLoadtestArgs } from '../bench/support/loadtest-args';
import { UsageError } from '../src/cli/usage';
import { linearFit, percentile, summarize } from '../bench/support/stats';

describe('bench statistics', () => {
  it('interpolates percentiles between closest ranks', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBeCloseTo(5.5);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile(sorted, 90)).toBeCloseTo(9.1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes unsorted samples', () => {
    const s = summarize([5, 1, 3]);
    expect(s).toMatchObject({ n: 3, min: 1, max: 5, p50: 3, mean: 3 });
  });

  it('fits a least-squares line', () => {
    const xs = [0, 1, 2, 3, 4];
    const fit = linearFit(
      xs,
      xs.map((x) => 2048 * x + 100),
    );
    expect(fit.slope).toBeCloseTo(2048);
    expect(fit.intercept).toBeCloseTo(100);
    expect(fit.r2).toBeCloseTo(1);
    expect(linearFit([1, 1], [2, 3]).slope).toBeNaN();
    // Noise around a flat line: a slope near zero.
    expect(Math.abs(linearFit(xs, [10, 12, 9, 11, 10]).slope)).toBeLessThan(1);
  });
});

describe('loadtest arguments', () => {
  it('has bounded defaults', () => {
    const o = parseLoadtestArgs([]);
    expect(o).toMatchObject({
      url: 'http://127.0.0.1:3000',
      sessions: 20,
      rate: 5,
      durationS: 30,
      mix: { tts: 3, stt: 1 },
      thinkMs: 500,
      format: 'pcm-24k',
      sttPace: 'realtime',
      json: false,
    });
  });

  it('reads every option', () => {
    const o = parseLoadtestArgs([
      '--url=http://svc:8080/',
      '--token',
      'k1',
      '--sessions',
      '100',
      '--rate',
      '2.5',
      '--duration',
      '60',
      '--mix',
      '1:0',
      '--text-file',
      'lines.txt',
      '--think',
      '0',
      '--format',
      'pcm-16k',
      '--stt-pace',
      'fast',
      '--json',
    ]);
    expect(o).toMatchObject({
      url: 'http://svc:8080',
      token: 'k1',
      sessions: 100,
      rate: 2.5,
      durationS: 60,
      mix: { tts: 1, stt: 0 },
      textFile: 'lines.txt',
      thinkMs: 0,
      format: 'pcm-16k',
      sttPace: 'fast',
      json: true,
    });
  });

  it.each([
    [['--sessions', '0']],
    [['--sessions', '1e9']],
    [['--sessions', '2.5']],
    [['--rate', 'fast']],
    [['--stt-pace', 'slow']],
    [['--duration', '-1']],
    [['--mix', '0:0']],
    [['--mix', 'tts']],
    [['--url', 'not a url']],
    [['--url', 'ftp://x']],
    [['--format', 'mp3']],
    [['--unknown']],
  ])('refuses %j', (argv) => {
    expect(() => parseLoadtestArgs(argv)).toThrow(UsageError);
  });
});
