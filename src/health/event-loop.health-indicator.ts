import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { EventLoopDelayWindow } from './event-loop-delay-window';

/** A p99 event-loop delay above this over a whole window means the process cannot serve in time. */
export const EVENT_LOOP_DELAY_LIMIT_MS = 2_000;
export const EVENT_LOOP_WINDOW_MS = 10_000;

/** Liveness: the event loop is not stuck (pool state plays no part; that is readiness). */
@Injectable()
export class EventLoopHealthIndicator implements OnModuleInit, OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private readonly window = new EventLoopDelayWindow(this.histogram);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly indicators: HealthIndicatorService) {}

  onModuleInit(): void {
    this.histogram.enable();
    this.timer = setInterval(() => this.window.rotate(), EVENT_LOOP_WINDOW_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  check<const Key extends string>(key: Key) {
    const session = this.indicators.check(key);
    const last = this.window.lastWindow;
    const data = { windowMs: EVENT_LOOP_WINDOW_MS, limitMs: EVENT_LOOP_DELAY_LIMIT_MS, ...last };
    return last !== null && last.p99Ms > EVENT_LOOP_DELAY_LIMIT_MS ? session.down(data) : session.up(data);
  }
}
