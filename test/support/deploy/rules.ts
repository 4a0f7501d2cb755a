import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const PROMETHEUS_DIR = join(__dirname, '..', '..', '..', 'deploy', 'prometheus');
export const GRAFANA_DASHBOARD = join(__dirname, '..', '..', '..', 'deploy', 'grafana', 'warmline.json');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function readAlertRules(): AlertRule[] {
  const file = parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as {
    groups: Array<{ name: string; rules: AlertRule[] }>;
  };
  return file.groups.flatMap((g) => g.rules);
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Array<{ refId: string; expr: string; datasource?: { type: string; uid: string } }>;
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: {
    list: Array<{ name: string; type: string; query?: string | { query: string }; definition?: string }>;
  };
  panels: DashboardPanel[];
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(GRAFANA_DASHBOARD, 'utf8')) as Dashboard;
}

/** Every PromQL query of the dashboard: panel targets, and the metric selectors of `label_values(...)` variables. */
export function dashboardQueries(dashboard: Dashboard): string[] {
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
  const variables = dashboard.templating.list
    .map((v) => (typeof v.query === 'object' ? v.query.query : v.query))
    .flatMap((query) => {
      const match = /^label_values\((.+),\s*\w+\)$/.exec(query ?? '');
      return match === null ? [] : [match[1]];
    });
  return [...targets, ...variables];
}
