import type { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { Access } from '../access/access';
import { handshakeSessionId } from '../access/api-key-auth';
import type { SessionFleet } from '../fleet/sessions/session-fleet';
import type { ErrorBody } from '../protocol';
import { shuttingDown, toErrorBody } from '../synthesis/error-body';
import type { VoiceMetrics } from './voice-metrics';

/** Who a connection that passed the handshake is, the session it asked for, and whether it takes that over. */
export interface Admission {
  principal: string;
  /** The session the client asked to resume (`auth.sessionId`), if any. */
  requested: string | undefined;
  /** Fleet mode: the requested session lives on another replica and this connection takes it over. */
  adopt: boolean;
}

const admissions = new WeakMap<Socket, Admission>();

/** What the handshake admitted `socket` as; undefined when it did not run (never serve such a socket). */
export function admissionOf(socket: Socket): Admission | undefined {
  return admissions.get(socket);
}

export interface HandshakeAuthOptions {
  /** Keys (none: loopback clients only), the failed-authentication throttle, the per-key session cap. */
  access: Access;
  /** True once shutdown has begun: new connections are refused. */
  draining: () => boolean;
  fleet: SessionFleet;
  metrics: VoiceMetrics;
  logger: Logger;
}

type Next = (error?: Error) => void;

function connectError(body: ErrorBody): Error {
  // The client sees `err.message` (the code) and `err.data` (the details).
  return Object.assign(new Error(body.code), { data: body });
}

/** Runs `release` once, when the socket disconnects or its connection closes (whichever comes first). */
function releaseOnClose(socket: Socket, release: () => void): void {
  socket.once('disconnect', release);
  // A socket whose connection closed before it finished connecting never emits `disconnect`.
  socket.conn.once('close', release);
}

/**
 * The `/voice` handshake as Socket.IO middleware: SHUTTING_DOWN once shutdown has begun, UNAUTHORIZED for a wrong or
 * missing key (or a non-loopback client when no keys are configured), RATE_LIMITED for an address that failed too
 * often or a key at its VOICE_MAX_SESSIONS_PER_KEY; then, when the client asks to resume a session, the fleet says
 * whether it takes it over from another replica.
 */
export function handshakeAuth(options: HandshakeAuthOptions): (socket: Socket, next: Next) => void {
  const { fleet, metrics, logger, access } = options;
  if (!access.keysConfigured) {
    logger.log('VOICE_API_KEYS is not set: only loopback clients may connect to /voice');
  }
  return (socket, next) => {
    if (options.draining()) return next(connectError(toErrorBody(shuttingDown())));
    const result = access.authenticate(socket.handshake);
    if (!result.ok) {
      // Failures are logged by Access, as a rate.
      metrics.request('connect', result.code);
      const retryable = result.code === 'RATE_LIMITED';
      return next(connectError({ code: result.code, message: result.message, retryable }));
    }
    const { principal } = result;
    const session = access.quotas.openSession(principal);
    if (!session.ok) {
      metrics.request('connect', 'RATE_LIMITED');
      return next(connectError({ code: 'RATE_LIMITED', message: session.message, retryable: true }));
    }
    releaseOnClose(socket, session.release);
    const requested = handshakeSessionId(socket.handshake.auth);
    const adopting = requested === undefined ? false : fleet.adopts(requested, principal);
    const admit = (adopt: boolean): void => {
      admissions.set(socket, { principal, requested, adopt });
      next();
    };
    if (adopting === false) return admit(false);
    adopting.then(admit, () => admit(false));
  };
}
