import {
  AudioConfig,
  AudioInputStream,
  AudioStreamFormat,
  AutoDetectSourceLanguageConfig,
  LanguageIdMode,
  OutputFormat,
  PhraseListGrammar,
  type PushAudioInputStream,
  SpeechRecognizer,
} from 'microsoft-cognitiveservices-speech-sdk';
import { type RecognizerSetup, turnProperties, type TurnOptions } from './recognition-options';
import { createSpeechConfig, type SpeechTarget } from './speech-target';

/**
 * A recognizer for a setup, reading 16-bit mono PCM from its own push stream. Results are always detailed, so
 * word timings can be asked for per turn without a new connection. With language candidates, language is
 * identified continuously (the SDK's AutoDetectSourceLanguageConfig in Continuous mode), and finals say which.
 */
export function createRecognizer(
  target: SpeechTarget,
  setup: RecognizerSetup,
): { recognizer: SpeechRecognizer; stream: PushAudioInputStream } {
  const config = createSpeechConfig(target);
  config.speechRecognitionLanguage = setup.language;
  config.outputFormat = OutputFormat.Detailed;
  const stream = AudioInputStream.createPushStream(
    AudioStreamFormat.getWaveFormatPCM(setup.sampleRate, 16, 1),
  );
  const audio = AudioConfig.fromStreamInput(stream);
  if (!setup.languages) return { recognizer: new SpeechRecognizer(config, audio), stream };
  const candidates = AutoDetectSourceLanguageConfig.fromLanguages([...setup.languages]);
  candidates.mode = LanguageIdMode.Continuous;
  return { recognizer: SpeechRecognizer.FromConfig(config, candidates, audio), stream };
}

/**
 * Sets a turn's options on a recognizer that has not started: its properties (which the SDK turns into the
 * turn's `speech.context` when recognition starts) and its phrase list.
 */
export function applyTurnOptions(recognizer: SpeechRecognizer, options: TurnOptions): void {
  for (const [property, value] of turnProperties(options)) recognizer.properties.setProperty(property, value);
  if (options.phrases && options.phrases.length > 0) {
    PhraseListGrammar.fromRecognizer(recognizer).addPhrases([...options.phrases]);
  }
}
