/**
 * A hand-written SVG chart (no plotting dependency): empirical cumulative distributions on a log-scale x axis,
 * so a 200 ms distribution and a 3 ms one are both readable in one picture.
 */

export interface Series {
  label: string;
  values: readonly number[];
  color: string;
}

export interface EcdfChartOptions {
  title: string;
  subtitle?: string;
  xLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

/** 1, 2, 5, 10, 20, 50... covering [min, max]. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** decade;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

const tickLabel = (v: number): string => (v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1))));

export function ecdfChart(options: EcdfChartOptions): string {
  const width = options.width ?? 760;
  const height = (options.height ?? 360) + options.series.length * 18;
  // The legend goes under the axis: anywhere inside the plot it would cover some distribution's curve.
  const margin = { top: 56, right: 24, bottom: 64 + options.series.length * 18, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = options.series.flatMap((s) => s.values).filter((v) => v > 0 && Number.isFinite(v));
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const x = (v: number): number =>
    margin.left +
    ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotW;
  const y = (p: number): number => margin.top + (1 - p) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escape(options.title)}</text>`,
  );
  if (options.subtitle) {
    out.push(`<text x="${margin.left}" y="40" fill="#555">${escape(options.subtitle)}</text>`);
  }
  // Grid and axes.
  for (const t of logTicks(lo, hi)) {
    out.push(
      `<line x1="${fmt(x(t))}" y1="${margin.top}" x2="${fmt(x(t))}" y2="${margin.top + plotH}" stroke="#e4e4e4"/>`,
      `<text x="${fmt(x(t))}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#333">${tickLabel(t)}</text>`,
    );
  }
  for (const p of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    out.push(
      `<line x1="${margin.left}" y1="${fmt(y(p))}" x2="${margin.left + plotW}" y2="${fmt(y(p))}" stroke="${p === 0.5 ? '#bbb' : '#e4e4e4'}"/>`,
      `<text x="${margin.left - 6}" y="${fmt(y(p) + 4)}" text-anchor="end" fill="#333">${Math.round(p * 100)}%</text>`,
    );
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 34}" text-anchor="middle" fill="#333">${escape(options.xLabel)}</text>`,
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">share of requests at or below</text>`,
  );
  // One step line per series.
  options.series.forEach((series, index) => {
    const sorted = [...series.values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (sorted.length === 0) return;
    const points: string[] = [`${fmt(x(sorted[0]))},${fmt(y(0))}`];
    sorted.forEach((v, i) => {
      points.push(
        `${fmt(x(v))},${fmt(y(i / sorted.length))}`,
        `${fmt(x(v))},${fmt(y((i + 1) / sorted.length))}`,
      );
    });
    out.push(
      `<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${points.join(' ')}"/>`,
    );
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    const legendY = margin.top + plotH + 60 + index * 18;
    out.push(
      `<line x1="${margin.left + 10}" y1="${legendY - 4}" x2="${margin.left + 34}" y2="${legendY - 4}" stroke="${series.color}" stroke-width="3"/>`,
      `<text x="${margin.left + 40}" y="${legendY}" fill="#222">${escape(`${series.label} (p50 ${fmt(median)} ms, n=${sorted.length})`)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
