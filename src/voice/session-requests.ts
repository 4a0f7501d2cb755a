import type { SynthesisJob } from '../synthesis/synthesis-job';
import type { StreamedText } from '../synthesis/streamed-text';
import type { SocketStreamSink } from './socket-stream-sink';

/** A `tts.stream.*` utterance: its text and where its answers go. */
export interface SessionStream {
  readonly text: StreamedText;
  readonly sink: SocketStreamSink;
}

/** One synthesis request of a session, running, queued or recently answered. */
export interface SessionRequest {
  readonly job: SynthesisJob;
  /** Set for a streamed utterance. */
  readonly stream?: SessionStream;
}

/**
 * A session's synthesis requests by id, kept a while after they were answered: a barge-in usually comes after the
 * server has sent all the audio (the client is still playing it), and `tts.cancel { playedMs }` must still say what
 * was heard; a stream's `tts.stream.end` may come after its stream already failed. Bounded: beyond `keep`
 * answered requests the oldest are forgotten (running and queued ones never are).
 */
export class SessionRequests {
  private readonly byId = new Map<string, SessionRequest>();

  constructor(private readonly keep = 64) {}

  get(requestId: string): SessionRequest | undefined {
    return this.byId.get(requestId);
  }

  add(request: SessionRequest): void {
    const id = request.job.requestId;
    // Re-inserted at the end: the newest request under an id is the one it names.
    this.byId.delete(id);
    this.byId.set(id, request);
    this.trim();
  }

  private trim(): void {
    let answered = 0;
    for (const request of this.byId.values()) if (request.job.isAnswered) answered++;
    for (const [id, request] of this.byId) {
      if (answered <= this.keep) return;
      if (!request.job.isAnswered) continue;
      this.byId.delete(id);
      answered--;
    }
  }
}
