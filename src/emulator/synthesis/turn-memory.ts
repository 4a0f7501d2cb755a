import { SynthesisMemory, SynthesisRecording } from '../recognition/memory/synthesis-memory';
import { StoredWord } from '../recognition/memory/stored-synthesis';
import { findEmulatorVoice } from './emulator-voices';
import { RenderedSegment, SpeechUnit, TimedWord } from './speech-voice';

/** The locale a unit is spoken in: its voice's, else its `xml:lang`. */
export function localeOf(voice: string | undefined, lang: string | undefined): string {
  return (voice ? findEmulatorVoice(voice)?.Locale : undefined) ?? lang ?? 'en-US';
}

/** `words` of audio at `sampleRate` that starts at sample `atSample` of the synthesis, as recognition keeps them. */
export function storedWords(
  words: readonly TimedWord[],
  sampleRate: number,
  atSample: number,
  locale: string,
): StoredWord[] {
  const ms = (sample: number): number => ((atSample + sample) * 1000) / sampleRate;
  return words.map((w) => ({
    word: w.word,
    display: w.display,
    lexical: w.lexical,
    startMs: ms(w.startSample),
    endMs: ms(w.endSample),
    locale,
  }));
}

/**
 * Remembers one synthesis turn for recognition as its audio is produced (any output format: a client may play it
 * and a microphone hear it), so a recognizer fed that audio as it arrives already finds what was sent. Each
 * sentence's words are told before its audio; a streamed turn learns its text sentence by sentence.
 */
export class TurnMemory {
  private readonly recording: SynthesisRecording | undefined;

  /** `key`: the turn's render, when known up front (a known render is not recorded again). */
  constructor(
    memory: SynthesisMemory,
    private readonly sampleRate: number,
    key?: string,
  ) {
    this.recording = memory.record(sampleRate, key);
  }

  /** A sentence about to be sent, starting at sample `atSample` of the turn's audio. */
  speech(segment: RenderedSegment, unit: SpeechUnit, atSample: number): void {
    const locale = localeOf(unit.voice, unit.lang);
    this.recording?.say(storedWords(segment.words, this.sampleRate, atSample, locale));
  }

  /** Audio as it is sent. */
  audio(samples: Int16Array): void {
    this.recording?.push(samples);
  }

  /** The turn is over; `key` names it when it completed (unset for a stopped or failed turn). */
  finish(key?: string): void {
    this.recording?.finish(key);
  }
}
