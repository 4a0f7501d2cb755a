import { EmulatorConnection } from '../protocol/emulator-connection';
import { BinaryFrame, TextFrame } from '../protocol/frame-codec';
import { CloseCode, EmulatorServices, ProtocolHandler } from '../protocol/protocol-handler';
import { readSynthesisContext, SynthesisRequestContext } from './synthesis-context';
import { answerSsmlTurn, answerStreamTurn, TurnScope } from './synthesis-turns';
import { TextStream, TextStreamTooLong } from './text-stream';
import { TurnAborted } from './turn-audio';

/** Stops for request ids that are not running (yet) are remembered this many at a time. */
const MAX_PENDING_STOPS = 16;
/** Contexts waiting for their `ssml` message. */
const MAX_PENDING_CONTEXTS = 8;

const DEFAULT_CONTEXT: SynthesisRequestContext = { outputFormat: undefined, wordBoundaries: true };

type PendingTurn =
  | { kind: 'ssml'; requestId: string; ssml: string }
  | { kind: 'stream'; requestId: string; context: SynthesisRequestContext; text: TextStream };

/** The turn being answered; its signal aborts on a `synthesis.control` stop for it or when the socket closes. */
interface RunningTurn {
  requestId: string;
  stop: AbortController;
}

/** `{"action":"stop"}`, the body of the SDK's stop message. */
function isStopAction(body: string): boolean {
  try {
    return (JSON.parse(body) as { action?: unknown }).action === 'stop';
  } catch {
    return false;
  }
}

/**
 * `/tts/cognitiveservices/websocket/v1` (and `/cognitiveservices/websocket/v2`). A turn is one `ssml` message
 * after its `synthesis.context`, or — the SDK's text streaming — a `synthesis.context` whose `synthesis.input`
 * says `bidirectionalStreamingMode`, followed by `text.piece` messages (`text/plain`, any piece of text) and an
 * empty `text.end`. Either way the answer is `turn.start`, `response` (stream id), word-boundary
 * `audio.metadata`, binary `audio` chunks, `SessionEnd` metadata, `turn.end`, with the text spoken sentence by
 * sentence as it is rendered (see synthesis-turns.ts). Turns on one socket run one after the other, like the
 * service; a streamed turn's pieces are kept while it waits. A `synthesis.control` stop ends its turn at once
 * (no more audio, then `SessionEnd` and `turn.end`), also while the turn waits for text or is paced.
 */
export class SynthesisHandler implements ProtocolHandler {
  private readonly contexts = new Map<string, SynthesisRequestContext>();
  /** The text of streamed turns, queued or running, by lower-case request id. */
  private readonly streams = new Map<string, TextStream>();
  private readonly queue: PendingTurn[] = [];
  private running = false;
  private current: RunningTurn | undefined;
  /** Stops that arrived for a turn not running yet (lower-case request ids). */
  private readonly pendingStops = new Set<string>();

  constructor(
    private readonly conn: EmulatorConnection,
    private readonly services: EmulatorServices,
  ) {}

  onText(frame: TextFrame): void {
    const id = frame.requestId.toLowerCase();
    switch (frame.path.toLowerCase()) {
      case 'speech.config':
      case 'telemetry':
        return;
      case 'synthesis.context':
        return this.onContext(frame);
      case 'ssml':
        this.queue.push({ kind: 'ssml', requestId: frame.requestId, ssml: frame.body });
        void this.runQueue();
        return;
      case 'text.piece':
        return this.onTextPiece(id, frame.body);
      case 'text.end':
        this.streams.get(id)?.end();
        return;
      case 'synthesis.control':
        if (isStopAction(frame.body)) this.stop(id);
        return;
      default:
        this.services.logger.debug('ignoring synthesis message', {
          connection: this.conn.id,
          path: frame.path,
        });
    }
  }

  onBinary(frame: BinaryFrame): void {
    this.services.logger.debug('ignoring binary message on a synthesis socket', { path: frame.path });
  }

  onClose(): void {
    this.queue.length = 0;
    this.contexts.clear();
    this.streams.clear();
    this.pendingStops.clear();
    this.current?.stop.abort();
  }

  private onContext(frame: TextFrame): void {
    let context: SynthesisRequestContext;
    try {
      context = readSynthesisContext(frame.body);
    } catch {
      this.conn.close(CloseCode.badRequest, 'Invalid synthesis.context: not JSON');
      return;
    }
    const id = frame.requestId.toLowerCase();
    if (context.textStream) {
      // The turn starts now; its text follows.
      const text = new TextStream();
      this.streams.set(id, text);
      this.queue.push({ kind: 'stream', requestId: frame.requestId, context, text });
      void this.runQueue();
      return;
    }
    this.contexts.set(id, context);
    if (this.contexts.size > MAX_PENDING_CONTEXTS) {
      this.contexts.delete(this.contexts.keys().next().value as string);
    }
  }

  private onTextPiece(id: string, text: string): void {
    const stream = this.streams.get(id);
    if (!stream) {
      // A turn that was stopped (or never started) still receives what the client had in flight.
      this.services.logger.debug('ignoring text for no streamed turn', { connection: this.conn.id });
      return;
    }
    try {
      stream.push(text);
    } catch (e) {
      if (!(e instanceof TextStreamTooLong)) throw e;
      this.conn.close(CloseCode.badRequest, e.message);
    }
  }

  private stop(requestId: string): void {
    if (this.current?.requestId === requestId) {
      this.current.stop.abort();
      return;
    }
    this.pendingStops.add(requestId);
    if (this.pendingStops.size > MAX_PENDING_STOPS) {
      this.pendingStops.delete(this.pendingStops.values().next().value as string);
    }
  }

  private async runQueue(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let turn = this.queue.shift(); turn && this.conn.isOpen; turn = this.queue.shift()) {
        this.conn.beginTurn();
        try {
          await this.runTurn(turn);
        } catch (e) {
          if (!(e instanceof TurnAborted)) {
            this.services.logger.warn('synthesis turn failed', {
              connection: this.conn.id,
              error: String(e),
            });
            this.conn.close(CloseCode.serverError, 'Synthesis failed');
          }
        } finally {
          this.conn.endTurn();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runTurn(turn: PendingTurn): Promise<void> {
    const id = turn.requestId.toLowerCase();
    const stop = new AbortController();
    if (this.pendingStops.delete(id)) stop.abort();
    this.current = { requestId: id, stop };
    const context = turn.kind === 'stream' ? turn.context : (this.contexts.get(id) ?? DEFAULT_CONTEXT);
    this.contexts.delete(id);
    const scope: TurnScope = {
      conn: this.conn,
      services: this.services,
      requestId: turn.requestId,
      context,
      stopped: stop.signal,
    };
    try {
      if (turn.kind === 'ssml') await answerSsmlTurn(scope, turn.ssml);
      else await answerStreamTurn(scope, turn.text);
    } finally {
      this.current = undefined;
      if (turn.kind === 'stream') this.streams.delete(id);
    }
  }
}
