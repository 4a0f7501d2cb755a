/** The chart colours, read from the page's CSS variables (so they follow light and dark mode). */
export interface ChartTheme {
  text: string;
  grid: string;
  dedicated: string;
  warm: string;
  cold: string;
  p50: string;
  p95: string;
  p99: string;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string): string => style.getPropertyValue(name).trim();
  return {
    text: read('--muted'),
    grid: read('--grid'),
    dedicated: read('--tier-dedicated'),
    warm: read('--tier-warm'),
    cold: read('--tier-cold'),
    p50: read('--p50'),
    p95: read('--p95'),
    p99: read('--p99'),
  };
}

/** `#rrggbb` at the given opacity, for area fills. */
export function translucent(color: string, alpha: number): string {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (match === null) return color;
  const n = parseInt(match[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Calls `onChange` when the system switches between light and dark. */
export function onColorSchemeChange(onChange: () => void): void {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', onChange);
}
