/** Words of PromQL that look like metric names but are not. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'inf',
  'nan',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/**
 * The metric names a PromQL expression selects: strings, label matchers, ranges and grouping clauses are set
 * aside, then every identifier that is not a function call, an aggregation or a keyword is a metric. Enough for
 * the expressions of our alerts and dashboard; syntax itself is promtool's job.
 */
export function metricNames(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?\w+/g, ' ')
    .replace(/@\s*(start\(\)|end\(\)|[\d.]+)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][\w:]*/g)) {
    const calls = /^\s*\(/.test(stripped.slice(match.index + match[0].length));
    if (!calls && !KEYWORDS.has(match[0].toLowerCase())) names.add(match[0]);
  }
  return names;
}

/** Grafana's variables replaced by values promtool accepts, so a dashboard query parses as PromQL. */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, '5m')
    .replace(/\$\{(\w+)(:\w+)?\}|\$(\w+)/g, (_, a: string, __, b: string) => `grafana_variable_${a ?? b}`);
}
