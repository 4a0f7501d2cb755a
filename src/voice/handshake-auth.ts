import type { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { VoiceAuthenticator, handshakeSessionId } from '../access/api-key-auth';
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
  /** VOICE_API_KEYS; none: loopback clients only. */
  apiKeys: readonly string[];
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

/**
 * The `/voice` handshake as Socket.IO middleware: SHUTTING_DOWN once shutdown has begun, UNAUTHORIZED for a wrong or
 * missing key (or a non-loopback client when no keys are configured); then, when the client asks to resume a
 * session, the fleet says whether it takes it over from another replica.
 */
export function handshakeAuth(options: HandshakeAuthOptions): (socket: Socket, next: Next) => void {
  const { fleet, metrics, logger } = options;
  const authenticator = new VoiceAuthenticator(options.apiKeys);
  if (!authenticator.keysConfigured) {
    logger.log('VOICE_API_KEYS is not set: only loopback clients may connect to /voice');
  }
  return (socket, next) => {
    if (options.draining()) return next(connectError(toErrorBody(shuttingDown())));
    const result = authenticator.authenticate(socket.handshake);
    if (!result.ok) {
      metrics.request('connect', 'UNAUTHORIZED');
      logger.warn(`refused a /voice connection from ${socket.handshake.address}: ${result.reason}`);
      return next(connectError({ code: 'UNAUTHORIZED', message: result.reason, retryable: false }));
    }
    const { principal } = result;
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
