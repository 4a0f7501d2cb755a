import type { DashboardFleet, DashboardFleetReplica } from '../../src/web/dashboard/dashboard-frame';
import { el } from '../shared/dom';

const POOLS = ['tts', 'stt'] as const;

/** Per pool, e.g. "2 / 1" for tts / stt. */
const perPool = (replica: DashboardFleetReplica, read: (name: string) => number | undefined): string =>
  POOLS.map((name) => String(read(name) ?? '—')).join(' / ');

/**
 * Fleet mode only: the fleet budget (`fleet-budget-<pool>`: leased / max across all replicas), Redis ok or
 * degraded (`fleet-redis`), and one row per replica (`replica-<id>`) with its readiness, sessions and, per pool
 * (tts / stt), warm clients, clients in use and leases (its live upstream clients), as `GET /api/v1/fleet` has them.
 */
export class FleetCard {
  readonly element: HTMLElement;
  private readonly budget: Record<string, HTMLElement> = {};
  private readonly redis: HTMLElement;
  private readonly rows: HTMLTableSectionElement;

  constructor() {
    this.redis = el('span', { class: 'badge', 'data-testid': 'fleet-redis' }, '—');
    const budgets = el('dl', { class: 'stats' });
    for (const name of POOLS) {
      this.budget[name] = el('dd', { 'data-testid': `fleet-budget-${name}` }, '—');
      budgets.append(el('div', {}, el('dt', {}, `${name.toUpperCase()} leased / max`), this.budget[name]));
    }
    this.rows = el('tbody');
    const head = el(
      'tr',
      {},
      ...[
        'Replica',
        'Ready',
        'Sessions',
        'Warm (tts / stt)',
        'In use (tts / stt)',
        'Leases (tts / stt)',
        'Seen',
      ].map((title) => el('th', { scope: 'col' }, title)),
    );
    this.element = el(
      'section',
      { class: 'card fleet', 'data-testid': 'fleet', 'aria-labelledby': 'fleet-title' },
      el(
        'header',
        { class: 'card-head' },
        el('h2', { id: 'fleet-title' }, 'Fleet ', el('span', { class: 'card-note' }, '(Redis)')),
        this.redis,
      ),
      budgets,
      el('div', { class: 'table-scroll' }, el('table', {}, el('thead', {}, head), this.rows)),
    );
  }

  update(fleet: DashboardFleet): void {
    this.redis.textContent = `Redis ${fleet.redis}`;
    this.redis.dataset.ready = String(fleet.redis === 'ok');
    for (const name of POOLS) {
      const budget = fleet.budget[name];
      this.budget[name].textContent =
        budget === undefined ? '—' : `${budget.leased} / ${budget.max === null ? '∞' : budget.max}`;
    }
    this.rows.replaceChildren(...fleet.replicas.map((replica) => this.row(replica)));
  }

  private row(replica: DashboardFleetReplica): HTMLTableRowElement {
    const id = replica.id;
    const cell = (key: string, text: string): HTMLTableCellElement =>
      el('td', { 'data-testid': `replica-${id}-${key}` }, text);
    return el(
      'tr',
      { 'data-testid': `replica-${id}` },
      el('th', { scope: 'row' }, id),
      cell('ready', replica.ready ? 'ready' : 'not ready'),
      cell('sessions', String(replica.sessions)),
      cell(
        'warm',
        perPool(replica, (name) => replica.pools[name]?.warmPoolSize),
      ),
      cell(
        'in-use',
        perPool(replica, (name) => replica.pools[name]?.inUse),
      ),
      cell(
        'leases',
        perPool(replica, (name) => replica.pools[name]?.size),
      ),
      cell('seen', replica.lastSeenMs === 0 ? 'now' : `${(replica.lastSeenMs / 1000).toFixed(1)} s ago`),
    );
  }
}
