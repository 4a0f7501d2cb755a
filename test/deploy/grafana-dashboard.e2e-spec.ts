import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { metricNames, withoutGrafanaVariables } from '../support/deploy/promql';
import { describeWithPromtool, promtool } from '../support/deploy/promtool';
import {
  dashboardQueries,
  readAlertRules,
  readDashboard,
  type DashboardPanel,
} from '../support/deploy/rules';

/** deploy/grafana/warmline.json: importable, laid out, covering pools, tiers, first byte and sessions. */
const dashboard = readDashboard();
const rows = dashboard.panels.filter((p) => p.type === 'row');
const panels = dashboard.panels.filter((p) => p.type !== 'row');

/** Panels under each row (the dashboard keeps rows expanded: their panels follow them in `panels`). */
function panelsByRow(): Map<string, DashboardPanel[]> {
  const byRow = new Map<string, DashboardPanel[]>();
  let current: DashboardPanel[] = [];
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') byRow.set(panel.title, (current = []));
    else current.push(panel);
  }
  return byRow;
}

const metricsOf = (list: DashboardPanel[]): Set<string> =>
  new Set(list.flatMap((p) => (p.targets ?? []).flatMap((t) => [...metricNames(t.expr)])));

describe('deploy/grafana/warmline.json', () => {
  it('is a dashboard with a stable uid and a data-source variable, which every panel uses', () => {
    expect(dashboard.uid).toBe('warmline');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const datasource = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(datasource?.query).toBe('prometheus');
    for (const panel of panels) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, `\${${datasource!.name}}`]);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe(panel.datasource?.uid);
    }
  });

  it('gives every panel a unique id, a description and at least one query', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect([panel.title, (panel.description?.length ?? 0) > 0]).toEqual([panel.title, true]);
      expect([panel.title, (panel.targets ?? []).length > 0]).toEqual([panel.title, true]);
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const owner = new Map<string, string>();
    const overlaps: string[] = [];
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect([panel.title, x + w <= 24]).toEqual([panel.title, true]);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const other = owner.get(`${i},${j}`);
          if (other !== undefined) overlaps.push(`${panel.title} / ${other}`);
          owner.set(`${i},${j}`, panel.title);
        }
      }
    }
    expect([...new Set(overlaps)]).toEqual([]);
  });

  it('covers pools, tiers, first byte and sessions', () => {
    const byRow = panelsByRow();
    expect(rows.map((r) => r.title)).toEqual(
      expect.arrayContaining(['Pools', 'Tiers', 'First byte', 'Sessions']),
    );
    expect([...metricsOf(byRow.get('Pools')!)]).toEqual(
      expect.arrayContaining([
        'warmline_pool_warm_size',
        'warmline_pool_warm_target',
        'warmline_pool_size',
        'warmline_pool_in_use',
        'warmline_pool_pending_acquires',
        'warmline_pool_ready',
        'warmline_pool_factory_failures_total',
      ]),
    );
    expect([...metricsOf(byRow.get('Tiers')!)]).toEqual(
      expect.arrayContaining([
        'warmline_pool_allocations_total',
        'warmline_pool_allocation_duration_seconds_bucket',
      ]),
    );
    expect([...metricsOf(byRow.get('First byte')!)]).toEqual(
      expect.arrayContaining([
        'warmline_tts_first_byte_seconds_bucket',
        'warmline_tts_first_byte_seconds_count',
      ]),
    );
    expect([...metricsOf(byRow.get('Sessions')!)]).toEqual(
      expect.arrayContaining([
        'warmline_voice_sessions',
        'warmline_voice_requests_total',
        // every transport's syntheses and recognitions, and the HTTP API's responses
        'warmline_speech_requests_total',
        'warmline_http_requests_total',
      ]),
    );
  });

  it('has a Fleet row: budget and leases per pool, replicas, Redis degraded', () => {
    const fleet = panelsByRow().get('Fleet');
    expect(fleet).toBeDefined();
    expect([...metricsOf(fleet!)].sort()).toEqual(
      [
        'warmline_fleet_budget',
        'warmline_fleet_degraded',
        'warmline_fleet_leased',
        'warmline_fleet_replicas',
      ].sort(),
    );
  });

  it('shows every warmline metric an alert watches', () => {
    const shown = new Set(dashboardQueries(dashboard).flatMap((q) => [...metricNames(q)]));
    const watched = readAlertRules().flatMap((r) => [...metricNames(r.expr)]);
    for (const metric of watched) expect([metric, shown.has(metric)]).toEqual([metric, true]);
  });

  describeWithPromtool('promtool', () => {
    it('parses every query as PromQL (Grafana variables filled in)', () => {
      const queries = dashboardQueries(dashboard);
      const dir = mkdtempSync(join(tmpdir(), 'warmline-dashboard-'));
      try {
        const recordingRules = queries.map((query, i) => ({
          record: `dashboard:query_${i}`,
          expr: withoutGrafanaVariables(query),
        }));
        writeFileSync(
          join(dir, 'queries.yml'),
          stringify({ groups: [{ name: 'dashboard', rules: recordingRules }] }),
        );
        const result = promtool(['check', 'rules', 'queries.yml'], { cwd: dir });
        expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
        expect(result.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
