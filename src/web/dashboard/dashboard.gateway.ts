import { Inject, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Registry } from 'prom-client';
import type { Namespace, Socket } from 'socket.io';
import type { FleetView } from '../../fleet/api/fleet-view';
import { FLEET_VIEW } from '../../fleet/fleet-tokens';
import { METRICS_REGISTRY } from '../../metrics/metrics-registry';
import { type PoolRegistry, POOL_REGISTRY } from '../../speech-pools/pool-tokens';
import type { PoolSnapshot } from '../../pools/pool-snapshot';
import type { Access } from '../../access/access';
import { ACCESS } from '../../access/access.module';
import { WEB_SETTINGS, type WebSettings } from '../web-module-options';
import { DashboardFeed } from './dashboard-feed';
import {
  DASHBOARD_FRAME_EVENT,
  DASHBOARD_HISTORY_EVENT,
  DASHBOARD_NAMESPACE,
  type DashboardFrame,
} from './dashboard-frame';
import { readFirstByteHistogram } from './first-byte-histogram';

/** The fleet module's view (FLEET_VIEW), present only in fleet mode; the frame carries it as DashboardFleet. */
interface FleetViewProvider {
  view(): Promise<FleetView>;
}

/**
 * The dashboard's data: Socket.IO namespace `/dashboard`, read-only (client events are ignored). Every refresh
 * interval each viewer gets the pools' snapshots, allocation rates by tier and first-byte percentiles; a new viewer
 * first gets the chart history. In fleet mode each frame also carries the fleet view (GET /api/v1/fleet). Viewers authenticate like voice clients
 * (Access): a key from VOICE_API_KEYS in `auth.token`, or, with no keys configured, a loopback connection.
 */
@WebSocketGateway({ namespace: DASHBOARD_NAMESPACE })
export class DashboardGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket>, OnModuleInit, OnModuleDestroy
{
  @WebSocketServer() private readonly namespace!: Namespace;
  private readonly logger = new Logger('DashboardGateway');
  private readonly feed: DashboardFeed;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    @Inject(WEB_SETTINGS) private readonly settings: WebSettings,
    @Inject(POOL_REGISTRY) private readonly pools: PoolRegistry,
    @Inject(ACCESS) private readonly access: Access,
    @Optional() @Inject(METRICS_REGISTRY) private readonly metrics?: Registry,
    @Optional() @Inject(FLEET_VIEW) private readonly fleet?: FleetViewProvider,
  ) {
    this.feed = new DashboardFeed({
      intervalMs: settings.refreshIntervalMs,
      historyMs: settings.historyMs,
      latencyWindowMs: settings.latencyWindowMs,
    });
  }

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      // Failures are logged by Access, as a rate.
      const result = this.access.authenticate(socket.handshake);
      if (result.ok) return next();
      const retryable = result.code === 'RATE_LIMITED';
      next(
        Object.assign(new Error(result.code), {
          data: { code: result.code, message: result.message, retryable },
        }),
      );
    });
  }

  handleConnection(socket: Socket): void {
    socket.emit(DASHBOARD_HISTORY_EVENT, this.feed.history());
    const current = this.feed.current;
    if (current !== null) socket.emit(DASHBOARD_FRAME_EVENT, current);
  }

  /** The feed runs from start-up, so a viewer that connects later still sees the last five minutes. */
  async onModuleInit(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.settings.refreshIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    // This replica's viewers only: in fleet mode a plain disconnectSockets() reaches every replica's.
    this.namespace?.local.disconnectSockets(true);
  }

  /** One refresh; a slow one is skipped over rather than stacked up. */
  private async tick(): Promise<DashboardFrame | null> {
    if (this.ticking) return null;
    this.ticking = true;
    try {
      const pools: Record<string, PoolSnapshot> = {};
      for (const [name, pool] of this.pools) pools[name] = pool.snapshot();
      const firstByte = await readFirstByteHistogram(this.metrics);
      const fleet = await this.fleet?.view();
      const frame = this.feed.tick(Date.now(), pools, firstByte, fleet);
      // Local only: in fleet mode a plain emit goes through the Redis adapter to the viewers of every replica,
      // whose charts would then interleave frames of different replicas.
      this.namespace?.local.emit(DASHBOARD_FRAME_EVENT, frame);
      return frame;
    } catch (error) {
      this.logger.error(
        `dashboard refresh failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    } finally {
      this.ticking = false;
    }
  }
}
