import { Injectable, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';

export type ShutdownListener = (reason: string) => void;

/**
 * Whether the application is shutting down, from the first moment on: readiness turns 503 and the voice gateway
 * stops taking work while the pools are still open.
 *
 * Nest's shutdown order (app.close() or a signal with enableShutdownHooks()):
 *   1. onModuleDestroy          - module by module, root module first (ascending import depth), global modules last
 *   2. beforeApplicationShutdown - same module order
 *   3. the HTTP server closes
 *   4. onApplicationShutdown
 * `begin()` is called by AppModule's own onModuleDestroy, which runs before any module it imports (see
 * app.module.ts); the hooks below are fallbacks for applications assembled without AppModule. Pools shut down
 * in beforeApplicationShutdown, so readiness is 503 before any socket closes and while HTTP still answers.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, BeforeApplicationShutdown {
  private reason: string | null = null;
  private readonly listeners = new Set<ShutdownListener>();
  private resolveBegun!: (reason: string) => void;

  /** Resolves with the reason once shutdown has begun. */
  readonly begun: Promise<string> = new Promise((resolve) => (this.resolveBegun = resolve));

  get isShuttingDown(): boolean {
    return this.reason !== null;
  }

  /** Why shutdown began (a signal name such as SIGTERM, or a hook name); null while running. */
  get shutdownReason(): string | null {
    return this.reason;
  }

  /**
   * Calls `listener` synchronously when shutdown begins, or right away if it already has. Returns an
   * unsubscribe function. A throwing listener does not stop the others.
   */
  onShutdown(listener: ShutdownListener): () => void {
    if (this.reason !== null) {
      safely(listener, this.reason);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks the start of shutdown; idempotent (the first reason is kept). */
  begin(reason: string): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.resolveBegun(reason);
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) safely(listener, reason);
  }

  onModuleDestroy(): void {
    this.begin('onModuleDestroy');
  }

  beforeApplicationShutdown(signal?: string): void {
    this.begin(signal ?? 'beforeApplicationShutdown');
  }
}

function safely(listener: ShutdownListener, reason: string): void {
  try {
    listener(reason);
  } catch {
    // A listener's failure is its own problem; shutdown must go on for everyone else.
  }
}
