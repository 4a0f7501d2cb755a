import 'uplot/dist/uPlot.min.css';
import {
  DASHBOARD_FRAME_EVENT,
  DASHBOARD_HISTORY_EVENT,
  DASHBOARD_NAMESPACE,
  type DashboardFrame,
  type DashboardHistory,
  type DashboardPoint,
} from '../../src/web/dashboard/dashboard-frame';
import { connectNamespace, isRefusal } from '../shared/auth-socket';
import { showConnectionState } from '../shared/connection-status';
import { byTestId } from '../shared/dom';
import { formatClock } from '../shared/format';
import { bindTokenField } from '../shared/token-store';
import { showError, toTypedError } from '../shared/typed-error';
import { FleetCard } from './fleet-card';
import { PoolCard } from './pool-card';
import { onColorSchemeChange } from './theme';
import { TimeSeriesChart } from './time-series-chart';

/** Five minutes at one sample a second, until the service says otherwise. */
let capacity = 300;

const ui = {
  token: byTestId<HTMLInputElement>('token'),
  status: byTestId('status'),
  error: byTestId('error'),
  pools: byTestId('pools'),
  latencyChart: byTestId('latency-chart'),
  latencyNote: byTestId('latency-note'),
  updated: byTestId('updated'),
};

const cards = new Map<string, PoolCard>();
/** Created by the first frame that carries the fleet view: without fleet mode nothing fleet-related renders. */
let fleetCard: FleetCard | null = null;
let latency: TimeSeriesChart | null = null;
/**
 * On `window.warmline`, for automated checks: frames received, the last one, and how many allocations the
 * charts have drawn (rate × interval, summed).
 */
const hooks = { frames: 0, lastFrame: null as DashboardFrame | null, allocationsCharted: 0 };
(window as unknown as { warmline: typeof hooks }).warmline = hooks;

function card(name: string): PoolCard {
  let existing = cards.get(name);
  if (existing === undefined) {
    existing = new PoolCard(name, capacity);
    cards.set(name, existing);
    ui.pools.append(existing.element);
  }
  return existing;
}

function latencyChart(): TimeSeriesChart {
  latency ??= new TimeSeriesChart(
    ui.latencyChart,
    {
      series: [
        { label: 'p50', color: 'p50' },
        { label: 'p95', color: 'p95' },
        { label: 'p99', color: 'p99' },
      ],
      stacked: false,
      unit: ' ms',
      height: 200,
      decimals: 1,
    },
    capacity,
  );
  return latency;
}

let lastPointAt = 0;

function addPoint(point: DashboardPoint): void {
  const seconds = lastPointAt === 0 ? 0 : (point.at - lastPointAt) / 1000;
  for (const rates of Object.values(point.allocations)) {
    hooks.allocationsCharted += Math.round((rates.dedicated + rates.warm + rates.cold) * seconds);
  }
  lastPointAt = point.at;
  for (const [name, rates] of Object.entries(point.allocations)) card(name).addPoint(point.at, rates);
  const q = point.firstByteMs;
  latencyChart().push(point.at, q === null ? [null, null, null] : [q.p50, q.p95, q.p99]);
}

const token = bindTokenField(ui.token, () => {
  socket.disconnect();
  socket.connect();
});
const socket = connectNamespace(DASHBOARD_NAMESPACE, (): Record<string, string> => {
  const key = token();
  return key === '' ? {} : { token: key };
});

socket.on('connect', () => {
  showConnectionState(ui.status, 'connected');
  showError(ui.error, null);
});
socket.on('disconnect', (reason) =>
  showConnectionState(ui.status, reason === 'io client disconnect' ? 'disconnected' : 'reconnecting'),
);
socket.on('connect_error', (error: Error) => {
  showError(ui.error, toTypedError(error, 'UPSTREAM_UNAVAILABLE'), 'Live data');
  showConnectionState(ui.status, isRefusal(error) || !socket.active ? 'disconnected' : 'reconnecting');
});

socket.on(DASHBOARD_HISTORY_EVENT, (history: DashboardHistory) => {
  capacity = Math.max(1, Math.round(history.historyMs / history.intervalMs));
  ui.latencyNote.textContent = `text-to-speech, all tiers · ms, p50 / p95 / p99 over the last ${history.latencyWindowMs / 1000} s`;
  // A reconnect replays the history: start the charts afresh.
  for (const existing of cards.values()) existing.element.remove();
  cards.clear();
  latency = null;
  lastPointAt = 0;
  ui.latencyChart.replaceChildren();
  for (const point of history.points) addPoint(point);
});

socket.on(DASHBOARD_FRAME_EVENT, (frame: DashboardFrame) => {
  for (const [name, snapshot] of Object.entries(frame.pools)) card(name).update(snapshot);
  if (frame.fleet !== undefined) {
    if (fleetCard === null) {
      fleetCard = new FleetCard();
      ui.pools.after(fleetCard.element);
    }
    fleetCard.update(frame.fleet);
  }
  // The frame sent on connect repeats the history's last point.
  if (frame.point.at > lastPointAt) addPoint(frame.point);
  hooks.frames++;
  hooks.lastFrame = frame;
  ui.updated.textContent = `Updated ${formatClock(frame.point.at)} · every ${frame.intervalMs / 1000} s`;
});

onColorSchemeChange(() => {
  for (const existing of cards.values()) existing.rebuildChart();
  latency?.build();
});
