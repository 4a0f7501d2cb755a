import type { ServerResponse } from 'node:http';
import type { Problem } from './problem-details';
import { problemDocument } from './problem-response';
import { EVENT_STREAM_TYPE } from './sse-audio-sink';

/**
 * OpenAI's streamed transcription (`stream=true`): `transcript.text.delta` events as text is recognized, then one
 * `transcript.text.done` with the whole text. Deltas that come before the answer may begin (while it is not yet
 * known that the client asked for a stream) are held and sent first. OpenAI's done event reports
 * token usage; warmline counts no tokens, so its usage is all zeros.
 */
export class TranscriptEventStream {
  private readonly held: string[] = [];
  private live = false;
  private opened = false;

  constructor(private readonly response: ServerResponse) {}

  /** Whether the answer has begun (a failure from now on is an event, not a problem response). */
  get started(): boolean {
    return this.opened;
  }

  delta = (delta: string): void => {
    if (!this.live) {
      this.held.push(delta);
      return;
    }
    this.open();
    this.write({ type: 'transcript.text.delta', delta });
  };

  /**
   * From now on deltas go out as they come; what was held goes out now. The answer begins with the first delta, so
   * a failure before any text (no recognizer free, a bad upload) is still an ordinary problem response.
   */
  follow(): void {
    this.live = true;
    for (const delta of this.held.splice(0)) this.delta(delta);
  }

  done(text: string): void {
    this.open();
    this.write({
      type: 'transcript.text.done',
      text,
      usage: { type: 'tokens', input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
    this.response.end();
  }

  /** A failure after the events began: an event with OpenAI's `error` member (its SDK throws it), then the end. */
  fail(problem: Problem): void {
    this.write({ ...problemDocument(problem, 'openai'), type: 'error' });
    this.response.end();
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    this.response.statusCode = 200;
    this.response.setHeader('Content-Type', EVENT_STREAM_TYPE);
    this.response.setHeader('Cache-Control', 'no-cache');
  }

  private write(event: object): void {
    if (!this.response.destroyed) this.response.write(`data: ${JSON.stringify(event)}\n\n`);
  }
}
