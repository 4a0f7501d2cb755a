import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import WebSocket, { RawData, WebSocketServer } from 'ws';
import { handleControlRequest } from './control-plane/control-plane';
import { EmulatorConnection } from './protocol/emulator-connection';
import { defaultEmulatorLogger, EmulatorLogger } from './emulator-logger';
import { EmulatorCounters, EmulatorStats } from './control-plane/emulator-stats';
import { defaultFaultSettings, FaultSettings, parseFaultSettings } from './control-plane/fault-settings';
import { decodeBinaryFrame, decodeTextFrame, FrameDecodeError } from './protocol/frame-codec';
import { CloseCode, EmulatorServices, ProtocolHandler } from './protocol/protocol-handler';
import { RecognitionHandler } from './recognition/recognition-handler';
import { SynthesisMemory } from './recognition/memory/synthesis-memory';
import { SynthesisHandler } from './synthesis/synthesis-handler';
import { handleIdentityRequest } from './identity/identity-routes';
import { TokenRegistry } from './identity/token-registry';
import { admitUpgrade, presentedKeys, refuseUpgrade, SpeechRoute } from './protocol/upgrade-gate';
import { selectVoice, VoiceMode } from './synthesis/voice-selection';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: warnings to stderr, nothing else. */
  logger?: EmulatorLogger;
  /** Default `auto`: espeak-ng when installed, else the synthetic voice. */
  voice?: VoiceMode;
}

export interface RunningEmulator {
  port: number;
  host: string;
  /** `ws://host:port`, for `SpeechConfig.fromHost(new URL(url), key)`. */
  url: string;
  /** `http://host:port`, for the control plane. */
  httpUrl: string;
  /** What synthesized speech sounds like: espeak-ng, or the built-in synthetic voice. */
  voice: 'espeak' | 'synthetic';
  stats(): EmulatorStats;
  /** Tokens its identity endpoints (`/msi/token`, `/sts/v1.0/issueToken`) issued since it started. */
  tokensIssued(): number;
  /** Replaces the fault settings (fields not given take their defaults), like `POST /emulator/faults`. */
  setFaults(faults: Partial<FaultSettings>): void;
  /** Clears faults and zeroes the counters except `connectionsOpen`, like `POST /emulator/reset`. */
  reset(): void;
  /** Terminates every socket; resolves when the server is fully closed. Idempotent. */
  close(): Promise<void>;
}

/** Largest websocket message accepted (SSML is capped at 64 KiB; audio frames are small). */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the speech emulator: the Azure Speech websocket protocol (synthesis and recognition) and the control
 * plane (`/emulator/*`) on one HTTP server.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const logger = options.logger ?? defaultEmulatorLogger;
  const host = options.host ?? '127.0.0.1';
  const voice = await selectVoice(options.voice ?? 'auto', logger);
  const memory = new SynthesisMemory();
  const counters = new EmulatorCounters();
  const tokens = new TokenRegistry();
  let faults = defaultFaultSettings();
  let nextConnectionId = 1;
  let upgrading = 0;
  let closing: Promise<void> | undefined;
  const pendingUpgrades = new Set<Duplex>();
  const live = new Map<WebSocket, EmulatorConnection>();

  const services: EmulatorServices = {
    voice,
    memory,
    counters,
    logger,
    faults: () => faults,
    takeDropFault: () => {
      if (faults.dropMidStreamNext <= 0) return false;
      faults.dropMidStreamNext--;
      return true;
    },
  };

  const replaceFaults = (body: unknown): FaultSettings => {
    faults = parseFaultSettings(body);
    for (const conn of live.values()) conn.armIdleTimer(); // a new idle timeout applies to open sockets too
    logger.info('fault settings replaced', {
      ...faults,
      requireKey: faults.requireKey === null ? null : '***',
    });
    return { ...faults };
  };
  const reset = (): void => {
    faults = defaultFaultSettings();
    counters.reset();
    for (const conn of live.values()) conn.armIdleTimer();
  };

  const keyAccepted = (request: IncomingMessage): boolean =>
    faults.requireKey === null ||
    presentedKeys(request, new URL(request.url ?? '/', 'http://emulator')).includes(faults.requireKey);
  const server = createServer((req, res) => {
    if (handleIdentityRequest(req, res, { tokens, tokenTtlMs: () => faults.tokenTtlMs, keyAccepted })) return;
    void handleControlRequest(req, res, {
      stats: () => counters.snapshot(),
      faults: () => ({ ...faults }),
      replaceFaults,
      reset,
      keyAccepted,
    });
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
  });

  const onConnection = (ws: WebSocket, route: SpeechRoute, req: IncomingMessage): void => {
    counters.connectionOpened();
    const conn = new EmulatorConnection(nextConnectionId++, ws, logger, () => faults.idleTimeoutMs);
    live.set(ws, conn);
    logger.debug('connection opened', {
      connection: conn.id,
      kind: route.kind,
      path: req.url?.split('?')[0],
    });
    const handler: ProtocolHandler =
      route.kind === 'synthesis'
        ? new SynthesisHandler(conn, services)
        : new RecognitionHandler(conn, services, route.endpoint);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.touch();
      try {
        if (isBinary) handler.onBinary(decodeBinaryFrame(toBuffer(data)));
        else handler.onText(decodeTextFrame(toBuffer(data).toString('utf8')));
      } catch (e) {
        if (e instanceof FrameDecodeError) {
          logger.debug('malformed message', { connection: conn.id, error: e.message });
          conn.close(CloseCode.badRequest, e.message);
        } else {
          logger.warn('error handling a message', { connection: conn.id, error: String(e) });
          conn.close(CloseCode.serverError, 'Internal emulator error');
        }
      }
    });
    ws.on('error', (err) => logger.debug('connection error', { connection: conn.id, error: err.message }));
    ws.on('close', (code: number) => {
      live.delete(ws);
      counters.connectionClosed();
      conn.disposed();
      handler.onClose();
      logger.debug('connection closed', { connection: conn.id, code });
    });
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a client vanishing mid-upgrade is its own business
    void (async () => {
      if (closing) return socket.destroy();
      const decision = admitUpgrade(req, faults, live.size + upgrading, (token) => tokens.isValid(token));
      if (!decision.ok) {
        counters.upgradeRejected();
        logger.debug('upgrade refused', { status: decision.status, path: req.url?.split('?')[0] });
        return refuseUpgrade(socket, decision.status, decision.message);
      }
      const latency = faults.connectLatencyMs;
      if (latency > 0) {
        upgrading++;
        pendingUpgrades.add(socket);
        // unref: a close() meanwhile destroys the socket and must not wait for this timer.
        await new Promise((resolve) => setTimeout(resolve, latency).unref());
        pendingUpgrades.delete(socket);
        upgrading--;
      }
      if (closing || socket.destroyed) return socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, decision.route, req));
    })();
  });
  server.on('clientError', (_err, socket: Duplex) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.debug('speech emulator listening', { url: `ws://${urlHost(host)}:${port}`, voice: voice.kind });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of pendingUpgrades) socket.destroy();
      const socketsClosed = [...live.keys()].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.terminate();
          }),
      );
      server.closeAllConnections();
      await Promise.all(socketsClosed);
      wss.close();
      await serverClosed;
    })();
    return closing;
  };

  return {
    port,
    host,
    url: `ws://${urlHost(host)}:${port}`,
    httpUrl: `http://${urlHost(host)}:${port}`,
    voice: voice.kind,
    stats: () => counters.snapshot(),
    tokensIssued: () => tokens.issued,
    setFaults: (f) => void replaceFaults(f),
    reset,
    close,
  };
}
