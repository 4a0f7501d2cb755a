import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { metricNames } from '../support/deploy/promql';
import { describeWithPromtool, promtool } from '../support/deploy/promtool';
import { PROMETHEUS_DIR, readAlertRules } from '../support/deploy/rules';

/** deploy/prometheus/alerts.yml: well-formed, explained, valid for promtool and unit-tested alert by alert. */
const rules = readAlertRules();
const alertsText = readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8');

describe('deploy/prometheus/alerts.yml', () => {
  it('has the alerts operators need, each named once', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'WarmlineWarmQueueEmpty',
        'WarmlineColdShareHigh',
        'WarmlineFactoryFailing',
        'WarmlinePoolExhausted',
        'WarmlineReadinessFlapping',
      ]),
    );
  });

  it('explains every alert in a comment above it and gives a severity, summary and description', () => {
    const lines = alertsText.split('\n');
    for (const rule of rules) {
      const at = lines.findIndex((line) => line.trim() === `- alert: ${rule.alert}`);
      expect([rule.alert, lines[at - 1]?.trim().startsWith('#')]).toEqual([rule.alert, true]);
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      expect(rule.annotations?.description).toEqual(expect.any(String));
    }
  });

  it('selects only warmline metrics or the Node.js process metrics /metrics exports', () => {
    for (const rule of rules) {
      const names = [...metricNames(rule.expr)];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect([rule.alert, name]).toEqual([
          rule.alert,
          expect.stringMatching(/^(warmline|nodejs|process)_/),
        ]);
    }
  });

  describeWithPromtool('promtool', () => {
    it('check rules: valid rules', () => {
      const result = promtool(['check', 'rules', 'alerts.yml'], { cwd: PROMETHEUS_DIR });
      expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(result.status).toBe(0);
    });

    it('test rules: every alert fires, and only, where its unit tests say', () => {
      const result = promtool(['test', 'rules', 'alerts.test.yml'], { cwd: PROMETHEUS_DIR });
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    });

    it('test rules would fail on a changed threshold (the unit tests are not vacuous)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'warmline-alerts-'));
      try {
        writeFileSync(join(dir, 'alerts.yml'), alertsText.replace('> 0.05', '> 0.5'));
        writeFileSync(join(dir, 'alerts.test.yml'), readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yml')));
        const result = promtool(['test', 'rules', 'alerts.test.yml'], { cwd: dir });
        expect(result.status).not.toBe(0);
        expect(result.output).toContain('WarmlineColdShareHigh');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('has a unit test in which each alert fires', () => {
    const tests = parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8')) as {
      rule_files: string[];
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
    };
    expect(tests.rule_files).toEqual(['alerts.yml']);
    const firing = new Set(
      tests.tests
        .flatMap((t) => t.alert_rule_test ?? [])
        .filter((t) => (t.exp_alerts ?? []).length > 0)
        .map((t) => t.alertname),
    );
    expect([...firing].sort()).toEqual(rules.map((r) => r.alert).sort());
  });
});

describe('metricNames', () => {
  it('finds the selected metrics and nothing else', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (job, le) (rate(a_bucket{tier!="cold", x=~"b|c"}[10m]))) > 1e3 ' +
          'and on (job) group_left b_total offset 5m unless bool c{le="1"} @ start() or vector(0)',
      ),
    ).toEqual(new Set(['a_bucket', 'b_total', 'c']));
    expect(metricNames('changes(warmline_pool_ready[30m]) > 6')).toEqual(new Set(['warmline_pool_ready']));
    expect(metricNames('sum(x) without (instance) / ignoring (le) y')).toEqual(new Set(['x', 'y']));
  });
});
