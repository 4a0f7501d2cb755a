import type { PoolSnapshot } from '../../src/pools/pool-snapshot';
import type { TierRates } from '../../src/web/dashboard/dashboard-frame';
import { el } from '../shared/dom';
import { formatPercent } from '../shared/format';
import { TimeSeriesChart } from './time-series-chart';

const TITLES: Record<string, string> = { tts: 'Text to speech', stt: 'Speech to text' };

/**
 * One pool: readiness, warm level against its target, the numbers of `GET /api/v1/pools` (as text, under the
 * `pool-<name>-…` test ids), factory health, and allocations per second by tier over the last minutes.
 */
export class PoolCard {
  readonly element: HTMLElement;
  private readonly chart: TimeSeriesChart;
  private readonly fields: Record<string, HTMLElement> = {};
  private readonly warmFill: HTMLElement;
  private readonly factory: HTMLElement;

  constructor(
    private readonly name: string,
    chartCapacity: number,
  ) {
    const field = (key: string, label: string): HTMLElement => {
      const value = el('dd', { 'data-testid': `pool-${name}-${key}` }, '—');
      this.fields[key] = value;
      return el('div', {}, el('dt', {}, label), value);
    };
    const ready = el('span', { class: 'badge', 'data-testid': `pool-${name}-ready` }, '—');
    this.fields.ready = ready;
    const warm = el('strong', { 'data-testid': `pool-${name}-warm` }, '—');
    const target = el('span', { 'data-testid': `pool-${name}-target` }, '—');
    const extra = el('span', { class: 'warm-extra', 'data-testid': `pool-${name}-warm-extra` });
    this.fields.warm = warm;
    this.fields.target = target;
    this.fields['warm-extra'] = extra;
    this.warmFill = el('div', { class: 'warm-fill' });
    this.factory = el('p', { class: 'factory', 'data-testid': `pool-${name}-factory` });
    const chartBox = el('div', { class: 'chart', 'data-testid': `pool-${name}-chart` });
    this.element = el(
      'article',
      { class: 'card pool', 'data-testid': `pool-${name}` },
      el(
        'header',
        { class: 'card-head' },
        el('h2', {}, `${TITLES[name] ?? name} `, el('span', { class: 'card-note' }, `(${name})`)),
        ready,
      ),
      el(
        'div',
        { class: 'warm-level' },
        // Warm against the target, and what is kept warm above it (up to the warm maximum) said apart, so 4 warm
        // for a target of 2 does not read like 200 %.
        el(
          'div',
          { class: 'label' },
          el('span', {}, 'Warm clients'),
          el('span', {}, warm, ' warm · target ', target, extra),
        ),
        el('div', { class: 'warm-track' }, this.warmFill),
      ),
      el(
        'dl',
        { class: 'stats' },
        field('in-use', 'In use'),
        field('sessions', 'Sessions'),
        field('hit-rate', 'Hit rate'),
        field('size', 'Live / max'),
        field('pending', 'Waiting'),
        field('allocations', 'Allocations'),
      ),
      this.factory,
      el('p', { class: 'chart-title' }, 'Allocations per second by tier · last 5 minutes'),
      chartBox,
    );
    this.chart = new TimeSeriesChart(
      chartBox,
      {
        series: [
          { label: 'dedicated', color: 'dedicated' },
          { label: 'warm', color: 'warm' },
          { label: 'cold', color: 'cold' },
        ],
        stacked: true,
        unit: '/s',
        height: 170,
        decimals: 0,
      },
      chartCapacity,
    );
  }

  update(snapshot: PoolSnapshot): void {
    const f = this.fields;
    f.ready.textContent = snapshot.ready ? 'ready' : 'not ready';
    f.ready.dataset.ready = String(snapshot.ready);
    f.warm.textContent = String(snapshot.warmPoolSize);
    f.target.textContent = String(snapshot.warmPoolTarget);
    const above = snapshot.warmPoolSize - snapshot.warmPoolTarget;
    f['warm-extra'].textContent = above > 0 ? ` · +${above} kept warm above it` : '';
    f['in-use'].textContent = String(snapshot.inUse);
    f.sessions.textContent = String(snapshot.activeSessions);
    // null (shown as a dash) until the pool's first allocation.
    const { hitRate } = snapshot.metrics;
    f['hit-rate'].textContent = formatPercent(hitRate);
    f['hit-rate'].dataset.value = String(hitRate);
    f.size.textContent = `${snapshot.size} / ${snapshot.maxSize ?? '∞'}`;
    f.pending.textContent = String(snapshot.pendingAcquires);
    f.allocations.textContent = String(snapshot.metrics.allocationsTotal);

    const ratio =
      snapshot.warmPoolTarget === 0 ? 1 : Math.min(1, snapshot.warmPoolSize / snapshot.warmPoolTarget);
    this.warmFill.style.transform = `scaleX(${ratio.toFixed(3)})`;
    this.warmFill.dataset.level = snapshot.warmPoolSize === 0 ? 'empty' : ratio < 1 ? 'low' : 'full';

    const { factory, metrics } = snapshot;
    const failing = factory.consecutiveFailures > 0;
    this.factory.dataset.failing = String(failing);
    this.factory.textContent = failing
      ? `Factory failing: ${factory.consecutiveFailures} in a row` +
        (factory.backoffRemainingMs > 0
          ? `, next try in ${(factory.backoffRemainingMs / 1000).toFixed(1)} s`
          : '') +
        (factory.lastError === null ? '' : ` — ${factory.lastError}`)
      : `Factory healthy · ${metrics.factoryFailures} failures, ${metrics.acquireTimeouts} acquire timeouts since start`;
  }

  addPoint(atMs: number, rates: TierRates | undefined): void {
    const r = rates ?? { dedicated: 0, warm: 0, cold: 0 };
    this.chart.push(atMs, [r.dedicated, r.warm, r.cold]);
  }

  rebuildChart(): void {
    this.chart.build();
  }

  get poolName(): string {
    return this.name;
  }
}
