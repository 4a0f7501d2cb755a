import type { Socket } from 'socket.io-client';
import type {
  ErrorEvent,
  FailedAck,
  SttFinal,
  SttPartial,
  TtsAudio,
  TtsWord,
  VoiceClientEvents,
  VoiceServerEvents,
} from '../protocol';
import { emitFailure, VoiceError } from './voice-error';

/** A `/voice` connection, typed with the protocol's event maps. */
export type VoiceSocket = Socket<VoiceServerEvents, VoiceClientEvents>;

/** The requests the server answers through an acknowledgement. */
export type AckedEvent = {
  [E in keyof VoiceClientEvents]: Parameters<VoiceClientEvents[E]> extends [unknown, unknown] ? E : never;
}[keyof VoiceClientEvents];
export type PayloadOf<E extends AckedEvent> = Parameters<VoiceClientEvents[E]>[0];
export type AckOf<E extends AckedEvent> = Parameters<Parameters<VoiceClientEvents[E]>[1]>[0];
/** The answer of a request that succeeded. */
export type OkAckOf<E extends AckedEvent> = Exclude<AckOf<E>, FailedAck>;

/** What `emitWithAck` looks like once the event name is not a literal any more. */
interface UntypedEmitter {
  emitWithAck(event: string, payload: unknown): Promise<unknown>;
}

/**
 * Sends one request and waits for its acknowledgement: the success ack as the server sent it, or a VoiceError (the
 * failed ack's code, message and retryable; ACK_TIMEOUT; DISCONNECTED). The emit itself happens synchronously.
 */
export async function ask<E extends AckedEvent>(
  socket: VoiceSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs: number,
  requestId?: string,
): Promise<OkAckOf<E>> {
  let ack: unknown;
  try {
    // socket.io-client's types cannot follow a generic event name through timeout(); the map above types it.
    ack = await (socket.timeout(timeoutMs) as unknown as UntypedEmitter).emitWithAck(event, payload);
  } catch (error) {
    throw emitFailure(error, event, timeoutMs, requestId);
  }
  const ok = (ack as { ok?: unknown } | null)?.ok;
  if (ok === true) return ack as OkAckOf<E>;
  if (ok === false) throw VoiceError.fromAck(ack as FailedAck, requestId);
  throw new VoiceError('PROTOCOL', `${event} was answered with ${JSON.stringify(ack)}`, false, requestId);
}

/** What a request in flight receives of the server events that name it. New request events add a member here. */
export interface RequestRoute {
  audio?(event: TtsAudio): void;
  word?(event: TtsWord): void;
  partial?(event: SttPartial): void;
  final?(event: SttFinal): void;
  error?(event: ErrorEvent): void;
}

/**
 * The requests in flight by id: each server event that names a request goes to that request's route, whichever of
 * the client's connections it arrived on (one listener per event and connection, however many requests run).
 */
export class RequestRoutes {
  private readonly routes = new Map<string, RequestRoute>();

  /**
   * Routes the request's events until the returned function is called. A second request under an id in flight is
   * not routed (the server refuses it) and leaves the first one's route alone.
   */
  add(requestId: string, route: RequestRoute): () => void {
    if (this.routes.has(requestId)) return () => undefined;
    this.routes.set(requestId, route);
    return () => {
      if (this.routes.get(requestId) === route) this.routes.delete(requestId);
    };
  }

  /** Listens on a connection; `unclaimed` gets the `error` events no request in flight takes. */
  listen(socket: VoiceSocket, unclaimed: (event: ErrorEvent) => void): void {
    socket.on('tts.audio', (event) => this.routes.get(event.requestId)?.audio?.(event));
    socket.on('tts.word', (event) => this.routes.get(event.requestId)?.word?.(event));
    socket.on('stt.partial', (event) => this.routes.get(event.requestId)?.partial?.(event));
    socket.on('stt.final', (event) => this.routes.get(event.requestId)?.final?.(event));
    socket.on('error', (event) => {
      const route = event.requestId === undefined ? undefined : this.routes.get(event.requestId);
      if (route?.error !== undefined) route.error(event);
      else unclaimed(event);
    });
  }
}
