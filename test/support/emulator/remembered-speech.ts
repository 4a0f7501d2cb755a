/**
 * Renders speech the way the emulator's synthesis does and remembers it in a SynthesisMemory, as a synthesis turn
 * would, for unit tests of recognition without sockets.
 */
import { LandmarkExtractor } from '../../../src/emulator/recognition/features/landmarks';
import {
  coarseBands,
  frameLevel,
  SpectralFrameStream,
} from '../../../src/emulator/recognition/features/spectral-frames';
import { SpeechMatch, UtteranceMatcher } from '../../../src/emulator/recognition/matching/utterance-matcher';
import { SynthesisMemory } from '../../../src/emulator/recognition/memory/synthesis-memory';
import {
  settingsFromQuery,
  RecognitionMode,
  RecognitionSettings,
} from '../../../src/emulator/recognition/recognition-settings';
import { parseSsml } from '../../../src/emulator/synthesis/ssml-parser';
import { RenderedSpeech, SpeechVoice } from '../../../src/emulator/synthesis/speech-voice';
import { localeOf, storedWords } from '../../../src/emulator/synthesis/turn-memory';
import { SyntheticVoice } from '../../../src/emulator/synthesis/synthetic-voice';
import { selectVoice, type VoiceMode } from '../../../src/emulator/synthesis/voice-selection';

export interface SpeakOptions {
  voiceName?: string;
  sampleRate?: number;
  voice?: SpeechVoice;
  /** Inner SSML instead of plain text (e.g. with `<break time="700ms"/>`). */
  ssml?: boolean;
  /** Render without remembering: speech the memory never heard. */
  remember?: boolean;
}

const syntheticVoice = new SyntheticVoice();

/** A voice as the emulator selects it, without its log lines. */
export function testVoice(mode: VoiceMode): Promise<SpeechVoice> {
  const quiet = (): void => undefined;
  return selectVoice(mode, { debug: quiet, info: quiet, warn: quiet });
}

export async function speak(
  memory: SynthesisMemory,
  text: string,
  options: SpeakOptions = {},
): Promise<RenderedSpeech> {
  const voiceName = options.voiceName ?? 'en-US-JennyNeural';
  const body = options.ssml ? text : escapeXml(text);
  const parsed = parseSsml(
    `<speak version="1.0" xml:lang="en-US"><voice name="${voiceName}">${body}</voice></speak>`,
  );
  const sampleRate = options.sampleRate ?? 16000;
  const speech = await (options.voice ?? syntheticVoice).render({
    segments: parsed.segments,
    defaultVoice: parsed.voice,
    defaultLang: parsed.lang,
    sampleRate,
  });
  if (options.remember !== false) {
    const recording = memory.record(sampleRate, `${sampleRate}|${voiceName}|${text}`);
    recording?.say(storedWords(speech.words, sampleRate, 0, localeOf(parsed.voice, parsed.lang)));
    const chunk = sampleRate / 20;
    for (let i = 0; i < speech.samples.length; i += chunk)
      recording?.push(speech.samples.subarray(i, i + chunk));
    recording?.finish(`${sampleRate}|${voiceName}|${text}`);
  }
  return speech;
}

/** Matches a whole buffer as one utterance starting at stream frame 0, as a recognition turn would. */
export function matchAudio(
  memory: SynthesisMemory,
  samples: Int16Array,
  sampleRate = 16000,
  mode: 'partial' | 'final' = 'final',
): SpeechMatch | undefined {
  const matcher = new UtteranceMatcher(memory, 0);
  const landmarks = new LandmarkExtractor((l) => matcher.addLandmark(l));
  new SpectralFrameStream(sampleRate, (_i, fine) => {
    matcher.addFrame(coarseBands(fine), frameLevel(fine));
    landmarks.push(fine);
  }).push(samples);
  landmarks.flush();
  return matcher.match(mode);
}

/** The settings a recognition URL without options gives, with some replaced. */
export function recognitionSettings(
  mode: RecognitionMode | undefined,
  overrides: Partial<RecognitionSettings> = {},
): RecognitionSettings {
  return { ...settingsFromQuery(new URLSearchParams(), mode), ...overrides };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
