import { frameLevel } from './microphone';

/** A frame this loud (the level meter's scale, about −32 dBFS) is sound, not room noise. */
const SOUND_LEVEL = 0.25;
/** Loud frames it takes (about a quarter of a second of 16 kHz PCM in 40 ms frames) to count as someone speaking. */
const SOUND_FRAMES = 6;

/**
 * What one recognition heard, for the note under the microphone: whether the audio sent held sound at all, so a
 * recognition without a result can say why instead of staying silent.
 */
export class RecognitionOutcome {
  private loudFrames = 0;

  /** A frame sent to the recognizer. */
  add(pcm: ArrayBuffer): void {
    if (frameLevel(pcm) >= SOUND_LEVEL) this.loudFrames++;
  }

  /** The note once the recognition stopped with `finals` results. */
  note(finals: number): string {
    if (finals > 0) return `Recognised ${finals} phrase${finals === 1 ? '' : 's'}.`;
    if (this.loudFrames < SOUND_FRAMES) return 'No speech was recognised: the microphone heard only silence.';
    return (
      'Speech was heard but not recognised. Against its built-in speech emulator, warmline recognises only speech ' +
      'the emulator synthesized itself: press Speak and let the microphone hear the answer.'
    );
  }
}
