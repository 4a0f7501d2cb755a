import type { TtsWord } from '../../src/protocol';
import { el } from '../shared/dom';

/**
 * The words of the request being spoken, as `tts.word` events bring them; `show(playedMs)`, called on every frame
 * from the player's real position, marks the word being heard now (`aria-current="true"`) and those before it.
 */
export class Captions {
  private words: Array<{ offsetMs: number; element: HTMLElement }> = [];
  private current = -1;

  constructor(private readonly root: HTMLElement) {}

  /** A new request: no words yet. */
  begin(): void {
    this.root.replaceChildren();
    this.words = [];
    this.current = -1;
  }

  add(word: TtsWord): void {
    const element = el('span', { class: 'caption-word', 'data-offset-ms': String(word.offsetMs) }, word.text);
    if (this.words.length > 0) this.root.append(' ');
    this.root.append(element);
    this.words.push({ offsetMs: word.offsetMs, element });
  }

  /** The word whose start is the latest at or before `playedMs` is the one being heard. */
  show(playedMs: number): void {
    let index = this.current;
    while (index + 1 < this.words.length && this.words[index + 1].offsetMs <= playedMs) index++;
    if (index === this.current) return;
    this.words[this.current]?.element.removeAttribute('aria-current');
    for (let i = Math.max(0, this.current); i < index; i++) this.words[i].element.classList.add('heard');
    this.current = index;
    this.words[index]?.element.setAttribute('aria-current', 'true');
  }

  /** Playback ended (or was stopped): nothing is being heard any more. */
  finish(): void {
    const word = this.words[this.current];
    if (word === undefined) return;
    word.element.removeAttribute('aria-current');
    word.element.classList.add('heard');
  }
}
