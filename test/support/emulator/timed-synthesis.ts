/**
 * Synthesis through the real SDK with the emulator's word boundaries, for tests that compare what recognition
 * reports against what the emulator itself said it spoke when.
 */
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import type { RunningEmulator } from '../../../src/emulator';
import { closeClient, newSynthesizer, speakSsml } from './speech-sdk';

export interface TimedSynthesis {
  /** 16 kHz 16-bit mono PCM. */
  audio: Int16Array;
  /** Word boundaries as the emulator reported them, ms from the start of the audio. */
  words: Array<{ text: string; offsetMs: number; durationMs: number }>;
}

const TICKS_PER_MS = 10_000;

/** `body` goes inside `<voice name="…">`: plain text, or SSML such as `<break time="700ms"/>`. */
export async function synthesizeTimed(
  emulator: RunningEmulator,
  voice: string,
  body: string,
): Promise<TimedSynthesis> {
  const synthesizer = newSynthesizer(emulator, sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm);
  const words: TimedSynthesis['words'] = [];
  synthesizer.wordBoundary = (_s, e) =>
    words.push({
      text: e.text,
      offsetMs: e.audioOffset / TICKS_PER_MS,
      durationMs: e.duration / TICKS_PER_MS,
    });
  try {
    const lang = voice.slice(0, 5);
    const result = await speakSsml(
      synthesizer,
      `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${lang}">` +
        `<voice name="${voice}">${body}</voice></speak>`,
    );
    if (result.reason !== sdk.ResultReason.SynthesizingAudioCompleted) {
      throw new Error(`synthesis failed: ${result.errorDetails}`);
    }
    return { audio: new Int16Array(result.audioData.slice(0)), words };
  } finally {
    await closeClient(synthesizer);
  }
}
