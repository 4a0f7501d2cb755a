import type { WordTiming } from '../speech/word-timing';

/** What a listener heard of a request, for `tts.cancel`'s ack. */
export interface Heard {
  /** Audio sent to the client, in ms of playback. */
  sentMs: number;
  /** The words starting before what was played (or sent), joined by single spaces. */
  spokenText: string;
}

/**
 * The words of one synthesis as the upstream timed them, and how much of its audio went out: enough to say what a
 * listener heard when they interrupted. Words are kept whether or not the client asked for `tts.word` events.
 */
export class SpokenWords {
  private readonly words: WordTiming[] = [];
  private sentBytes = 0;

  /** `bytesPerSecond` of the request's format (PCM: exact). */
  constructor(private readonly bytesPerSecond: number) {}

  word(word: WordTiming): void {
    this.words.push(word);
  }

  sent(bytes: number): void {
    this.sentBytes += bytes;
  }

  /**
   * What was heard when the client had played `playedMs` of the audio (absent: all that was sent). The words that
   * start before that point, never beyond the audio actually sent: a client cannot have played more.
   */
  heard(playedMs?: number): Heard {
    const sentMs = Math.round((this.sentBytes * 1000) / this.bytesPerSecond);
    const until = Math.min(playedMs ?? sentMs, sentMs);
    const spoken: string[] = [];
    for (const word of this.words) {
      if (word.offsetMs >= until) break;
      spoken.push(word.text);
    }
    return { sentMs, spokenText: spoken.join(' ') };
  }
}
