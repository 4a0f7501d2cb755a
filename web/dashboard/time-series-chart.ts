import uPlot from 'uplot';
import { readChartTheme, translucent, type ChartTheme } from './theme';

export interface SeriesSpec {
  label: string;
  color: keyof ChartTheme;
}

export interface ChartSpec {
  series: SeriesSpec[];
  /** Stack the series (each drawn on top of the previous, areas filled), or draw them as lines. */
  stacked: boolean;
  unit: string;
  height: number;
  /** Decimals in the legend. */
  decimals: number;
}

/**
 * A time chart (uPlot) that keeps up to `capacity` samples, follows its container's width and the colour
 * scheme. Stacked charts draw the running sums with the bands between them filled; the legend shows each
 * series' own value.
 */
export class TimeSeriesChart {
  private plot: uPlot | null = null;
  private readonly times: number[] = [];
  private readonly values: Array<Array<number | null>>;

  constructor(
    private readonly container: HTMLElement,
    private readonly spec: ChartSpec,
    private readonly capacity: number,
  ) {
    this.values = spec.series.map(() => []);
    new ResizeObserver(() => this.fit()).observe(container);
    this.build();
  }

  /** Appends one sample (time in epoch ms); the oldest falls off beyond the capacity. */
  push(atMs: number, values: Array<number | null>): void {
    this.times.push(atMs / 1000);
    values.forEach((v, i) => this.values[i].push(v));
    if (this.times.length > this.capacity) {
      this.times.shift();
      for (const series of this.values) series.shift();
    }
    this.plot?.setData(this.data());
  }

  /** Rebuilds with the current theme (after a colour-scheme change). */
  build(): void {
    this.plot?.destroy();
    const theme = readChartTheme();
    const { series, stacked, unit, decimals } = this.spec;
    const raw = (seriesIndex: number, dataIndex: number | null): number | null =>
      dataIndex === null ? null : (this.values[seriesIndex - 1][dataIndex] ?? null);
    const axis: uPlot.Axis = {
      stroke: theme.text,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const options: uPlot.Options = {
      width: this.width(),
      height: this.spec.height,
      padding: [8, 8, 0, 0],
      cursor: { drag: { x: false, y: false } },
      // Series names only: live values showed placeholders (`Time: --`, `—`) whenever the pointer was elsewhere.
      legend: { live: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, niceMax(max)] } },
      axes: [
        { ...axis, space: 70, values: (_u, splits) => splits.map(clockLabel) },
        {
          ...axis,
          size: axisSize,
          // Whole-number charts get whole-number ticks (an idle 0…1 chart: 0 and 1, not 0, 0.3, 0.5, 0.8).
          ...(decimals === 0 ? { incrs: WHOLE_INCREMENTS } : {}),
          values: (_u, splits) => splits.map(trim),
        },
      ],
      series: [
        {},
        ...series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: theme[s.color],
          width: stacked ? 1 : 2,
          fill: stacked ? translucent(theme[s.color], 0.45) : undefined,
          // A rate holds for the interval that ends at its sample: steps, not slopes between samples.
          paths: stacked ? steps : undefined,
          // Lines show their samples too, so a lone sample between gaps is not invisible.
          points: { show: !stacked, size: 4 },
          spanGaps: false,
          value: (_u, _v, seriesIndex, dataIndex) => {
            const v = raw(seriesIndex, dataIndex);
            return v === null ? '—' : `${v.toFixed(decimals)}${unit}`;
          },
        })),
      ],
      bands: stacked
        ? series.slice(1).map((s, i) => ({ series: [i + 2, i + 1], fill: translucent(theme[s.color], 0.45) }))
        : [],
    };
    this.plot = new uPlot(options, this.data(), this.container);
  }

  private data(): uPlot.AlignedData {
    if (!this.spec.stacked) return [this.times, ...this.values] as uPlot.AlignedData;
    const sums = this.times.map(() => 0);
    const stacked = this.values.map((series) =>
      series.map((v, i) => {
        sums[i] += v ?? 0;
        return sums[i];
      }),
    );
    return [this.times, ...stacked] as uPlot.AlignedData;
  }

  private width(): number {
    return Math.max(200, Math.floor(this.container.clientWidth));
  }

  private fit(): void {
    if (this.plot === null) return;
    const width = this.width();
    if (width !== this.plot.width) this.plot.setSize({ width, height: this.spec.height });
  }
}

const steps = uPlot.paths.stepped?.({ align: -1 });

/** Tick steps for charts of whole numbers: 1, 2, 5, 10, 20, 50, … */
const WHOLE_INCREMENTS = Array.from({ length: 24 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

/** Room for the longest tick label (uPlot measures nothing itself). */
function axisSize(_u: uPlot, values: string[] | null): number {
  const longest = Math.max(2, ...(values ?? []).map((v) => v.length));
  return 22 + longest * 8;
}

/** `HH:MM:SS` for a time axis in seconds: short enough for a phone, the date adds nothing to a 5-minute view. */
function clockLabel(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A y-axis top with some headroom, and never below 1 so an idle chart has a sensible scale. */
function niceMax(max: number | null): number {
  if (max === null || !Number.isFinite(max) || max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (max <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function trim(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
