import type { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import type { Namespace, Server, ServerOptions } from 'socket.io';
import { FLEET_SOCKET_ADAPTER } from '../fleet/fleet-tokens';
import type { FleetSocketAdapter } from '../fleet/socket/fleet-socket-adapter';
import type { Access } from '../access/access';
import { ACCESS } from '../access/access.module';
import { checkBrowserAccess } from '../access/browser-access';
import { VOICE_SETTINGS, type VoiceSettings } from './voice-options';

/** Marks servers built by VoiceIoAdapter, so the gateway can warn when the application forgot to use it. */
const VOICE_IO_CONFIGURED = Symbol('VOICE_IO_CONFIGURED');

/** Warns when `namespace`'s server was not made by VoiceIoAdapter (its CORS and size bounds would be missing). */
export function warnUnlessConfigured(namespace: Namespace, logger: Logger): void {
  if (Reflect.get(namespace.server, VOICE_IO_CONFIGURED) === true) return;
  logger.warn(
    'the Socket.IO server was not created by VoiceIoAdapter: CORS_ORIGINS and the message size bound are ' +
      'not applied (app.useWebSocketAdapter(new VoiceIoAdapter(app)))',
  );
}

/** The Socket.IO server options that come from configuration (decorator options are static). */
export function voiceServerOptions(settings: VoiceSettings, keysConfigured: boolean): Partial<ServerOptions> {
  const origins = settings.corsOrigins;
  const anyOrigin = origins.includes('*');
  const policy = { corsOrigins: origins, loopbackOnly: !keysConfigured };
  return {
    maxHttpBufferSize: settings.limits.maxHttpBufferSize,
    // Polling (XHR) answers carry CORS headers only for the configured origins.
    ...(origins.length > 0 ? { cors: { origin: anyOrigin ? '*' : [...origins], credentials: false } } : {}),
    // CORS does not cover websockets, and same-origin polling sends no Origin: the HTTP API's own check (Host in
    // loopback-only mode, Origin always) runs here for every transport. Auth still applies after it.
    allowRequest: (req: IncomingMessage, callback: (err: string | null | undefined, ok: boolean) => void) => {
      const checked = checkBrowserAccess({ host: req.headers.host, origin: req.headers.origin }, policy);
      if (checked.ok) callback(null, true);
      else callback(checked.reason, false);
    },
  };
}

/**
 * Nothing is served on the main namespace `/`, but Socket.IO accepts connections to it: refuse every one, after
 * authentication (so a wrong key counts as a failure like anywhere else), instead of leaving them open.
 */
function refuseMainNamespace(server: Server, access: Access): void {
  server.of('/').use((socket, next) => {
    const result = access.authenticate(socket.handshake);
    const body = result.ok
      ? {
          code: 'BAD_REQUEST',
          message: 'nothing is served on the main namespace: connect to /voice',
          retryable: false,
        }
      : { code: result.code, message: result.message, retryable: result.code === 'RATE_LIMITED' };
    next(Object.assign(new Error(body.code), { data: body }));
  });
}

/**
 * The application's Socket.IO adapter: applies CORS_ORIGINS and a bounded `maxHttpBufferSize` to every
 * Socket.IO server, refuses connections to the main namespace, and binds message handlers as plain listeners. Use it in main.ts and in e2e tests:
 * `app.useWebSocketAdapter(new VoiceIoAdapter(app))` before `listen()`. Settings are read from the application
 * (VoiceModule) unless given explicitly.
 */
export class VoiceIoAdapter extends IoAdapter {
  constructor(
    private readonly app: INestApplicationContext,
    private readonly settings?: VoiceSettings,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const settings = this.settings ?? this.app.get<VoiceSettings>(VOICE_SETTINGS, { strict: false });
    const access = this.app.get<Access>(ACCESS, { strict: false });
    // In fleet mode the replicas' Socket.IO servers talk to each other through Socket.IO's Redis adapter.
    const fleet = this.fleetAdapter();
    // IoAdapter types its server as any; it is socket.io's Server.
    const server = super.createIOServer(port, {
      ...options,
      ...voiceServerOptions(settings, access.keysConfigured),
      ...(fleet === null ? {} : { adapter: fleet.adapter }),
    }) as Server;
    Reflect.set(server, VOICE_IO_CONFIGURED, true);
    refuseMainNamespace(server, access);
    return server;
  }

  /**
   * Nest's IoAdapter builds an rxjs pipeline per socket and event (fromEvent, mergeMap, takeUntil) and several
   * observables per message. With thousands of idle sessions that is memory held per socket, and on the audio
   * path short-lived garbage per frame (measured in the scale benchmark). A listener per event does the same
   * job: handlers that answer through their ack return nothing; anything else still goes through `transform`.
   */
  override bindMessageHandlers(
    // The adapter's own socket.io copy (platform-socket.io may bring a nested one).
    socket: Parameters<IoAdapter['bindMessageHandlers']>[0],
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(String(message), (...args: unknown[]) => {
        const payload = this.mapPayload(args.length === 1 ? args[0] : args);
        const data: unknown = payload.data;
        const ack = payload.ack;
        const result: unknown = callback(data, ack);
        const settle = (response: unknown): void => {
          if (response === undefined || response === null) return;
          transform(response).subscribe((answer) => {
            if (answer === undefined || answer === null) return;
            const event = answer as { event?: string; data?: unknown };
            if (typeof event.event === 'string') socket.emit(event.event, event.data);
            else if (!isAckHandledManually && typeof ack === 'function')
              (ack as (a: unknown) => void)(answer);
          });
        };
        if (result instanceof Promise) result.then(settle, () => undefined);
        else settle(result);
      });
    }
  }

  /** Fleet mode's Socket.IO Redis adapter; null in a single process (or an application built without AppModule). */
  private fleetAdapter(): FleetSocketAdapter | null {
    try {
      return this.app.get<FleetSocketAdapter | null>(FLEET_SOCKET_ADAPTER, { strict: false });
    } catch {
      return null;
    }
  }
}
