import { SynthesisFacts } from '../recognition/memory/synthesis-memory';
import { findEmulatorVoice } from './emulator-voices';
import { RenderedSpeech } from './speech-voice';
import { ParsedSsml } from './ssml-parser';

/**
 * What recognition needs besides the audio: the words with their times, and the locale of the voice (the
 * document's first voice, else its `xml:lang`), which language identification reports.
 */
export function synthesisFacts(speech: RenderedSpeech, parsed: ParsedSsml): SynthesisFacts {
  const ms = (sample: number): number => (sample * 1000) / speech.sampleRate;
  return {
    text: speech.text,
    sampleRate: speech.sampleRate,
    locale: (parsed.voice ? findEmulatorVoice(parsed.voice)?.Locale : undefined) ?? parsed.lang ?? 'en-US',
    words: speech.words.map((w) => ({
      word: w.word,
      display: w.display,
      lexical: w.lexical,
      startMs: ms(w.startSample),
      endMs: ms(w.endSample),
    })),
  };
}
