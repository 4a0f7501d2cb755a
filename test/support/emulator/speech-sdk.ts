/**
 * Helpers for driving the real Speech SDK against the emulator in tests: every SDK call gets a deadline so a
 * hang fails the test instead of freezing Jest, and every client is closed with its callback.
 */
import { execFileSync } from 'node:child_process';
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { createRandom } from '../../../src/emulator/audio/deterministic-random';
import { RunningEmulator, startEmulator } from '../../../src/emulator/emulator-server';
import type { VoiceMode } from '../../../src/emulator/synthesis/voice-selection';

export const SDK_DEADLINE_MS = 15_000;

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function speechConfig(emulator: RunningEmulator, key = 'test-key'): sdk.SpeechConfig {
  return sdk.SpeechConfig.fromHost(new URL(emulator.url), key);
}

export function newSynthesizer(
  emulator: RunningEmulator,
  format = sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm,
  key?: string,
): sdk.SpeechSynthesizer {
  const config = speechConfig(emulator, key);
  config.speechSynthesisOutputFormat = format;
  // null: no output device on a server.
  return new sdk.SpeechSynthesizer(config, null);
}

/**
 * A synthesizer configured with the emulator's `http://` address: the SDK opens its websocket from it too, and
 * its REST calls (getVoicesAsync) need it, since its HTTP client refuses a `ws://` address.
 */
export function newSynthesizerForHttp(emulator: RunningEmulator): sdk.SpeechSynthesizer {
  const config = sdk.SpeechConfig.fromHost(new URL(emulator.httpUrl), 'test-key');
  return new sdk.SpeechSynthesizer(config, null);
}

export function speak(
  synthesizer: sdk.SpeechSynthesizer,
  text: string,
  ms = SDK_DEADLINE_MS,
): Promise<sdk.SpeechSynthesisResult> {
  return withDeadline(
    new Promise((resolve, reject) => synthesizer.speakTextAsync(text, resolve, (e) => reject(new Error(e)))),
    ms,
    `speakTextAsync(${JSON.stringify(text)})`,
  );
}

export function speakSsml(
  synthesizer: sdk.SpeechSynthesizer,
  ssml: string,
  ms = SDK_DEADLINE_MS,
): Promise<sdk.SpeechSynthesisResult> {
  return withDeadline(
    new Promise((resolve, reject) => synthesizer.speakSsmlAsync(ssml, resolve, (e) => reject(new Error(e)))),
    ms,
    'speakSsmlAsync',
  );
}

/** One text-streaming turn (the SDK's `speakAsync` with a text-stream request): write pieces, then close. */
export interface TextStreamTurn {
  input: sdk.SpeechSynthesisRequestInputStream;
  /** The turn's result, with a deadline. */
  result: Promise<sdk.SpeechSynthesisResult>;
}

export function startTextStream(synthesizer: sdk.SpeechSynthesizer, ms = SDK_DEADLINE_MS): TextStreamTurn {
  const request = new sdk.SpeechSynthesisRequest(sdk.SpeechSynthesisRequestInputType.TextStream);
  const result = withDeadline(
    new Promise<sdk.SpeechSynthesisResult>((resolve, reject) =>
      synthesizer.speakAsync(request, resolve, (e) => reject(new Error(e))),
    ),
    ms,
    'speakAsync (text stream)',
  );
  return { input: request.inputStream, result };
}

/** `text` cut into pieces as a language model streams it: words with the space before them, punctuation apart. */
export function tokens(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}'’]+|\s*[^\s\p{L}\p{N}'’]+|\s+$/gu) ?? [];
}

export function closeClient(client: {
  close(cb?: () => void, err?: (e: string) => void): void;
}): Promise<void> {
  return withDeadline(
    new Promise<void>((resolve) => client.close(resolve, () => resolve())),
    SDK_DEADLINE_MS,
    'close',
  );
}

/**
 * Sends the protocol's `synthesis.control` stop for the synthesizer's current turn. The SDK offers it publicly only
 * on AvatarSynthesizer.stopSpeakingAsync, which calls this same method of the synthesis adapter both share.
 */
export function requestStop(synthesizer: sdk.SpeechSynthesizer): Promise<void> {
  const adapter = synthesizer.internalData as { stopSpeaking?: () => Promise<void> };
  if (typeof adapter.stopSpeaking !== 'function') throw new Error('the SDK adapter has no stopSpeaking()');
  return adapter.stopSpeaking();
}

export function cancellation(result: sdk.SpeechSynthesisResult): sdk.CancellationDetails {
  return sdk.CancellationDetails.fromResult(result);
}

/** A fresh emulator for every test of a suite, and the synthesizers each test makes on it. */
export interface SynthesisFixture {
  /** This test's emulator. */
  readonly emulator: RunningEmulator;
  /** A synthesizer on this test's emulator, closed after the test. */
  synthesizer: (format?: sdk.SpeechSynthesisOutputFormat) => sdk.SpeechSynthesizer;
  /** Closes `synthesizer` after the test too. */
  keep: (synthesizer: sdk.SpeechSynthesizer) => sdk.SpeechSynthesizer;
}

/** Call inside a `describe`: starts an emulator with `voice` before each test; closes everything after it. */
export function synthesisFixture(voice: VoiceMode): SynthesisFixture {
  let running: RunningEmulator | undefined;
  const synthesizers: sdk.SpeechSynthesizer[] = [];
  const fixture: SynthesisFixture = {
    get emulator(): RunningEmulator {
      if (!running) throw new Error('the emulator runs only during a test');
      return running;
    },
    synthesizer: (format) => fixture.keep(newSynthesizer(fixture.emulator, format)),
    keep: (synthesizer) => {
      synthesizers.push(synthesizer);
      return synthesizer;
    },
  };
  beforeEach(async () => {
    running = await startEmulator({ port: 0, voice });
  });
  afterEach(async () => {
    await Promise.all(synthesizers.splice(0).map(closeClient));
    await running?.close();
    running = undefined;
  });
  return fixture;
}

/** Resolves once `condition` holds, polling; rejects after `ms`. */
export async function eventually(condition: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function silence(ms: number, rate = 16000): ArrayBuffer {
  return new ArrayBuffer(Math.round((rate * ms) / 1000) * 2);
}

export function whiteNoise(ms: number, rate = 16000, amplitude = 6000, seed = 1): ArrayBuffer {
  const random = createRandom(seed);
  const samples = Int16Array.from({ length: Math.round((rate * ms) / 1000) }, () =>
    Math.round(amplitude * (random() * 2 - 1)),
  );
  return samples.buffer;
}

export interface RecognitionLog {
  recognizing: string[];
  recognized: sdk.SpeechRecognitionResult[];
  canceled: sdk.SpeechRecognitionCanceledEventArgs[];
  speechStarts: number[];
  speechEnds: number[];
}

function newRecognizer(emulator: RunningEmulator, audio: ArrayBuffer[], rate: number, detailed: boolean) {
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(rate, 16, 1));
  for (const chunk of audio) push.write(chunk.slice(0));
  push.close();
  const config = speechConfig(emulator);
  if (detailed) config.outputFormat = sdk.OutputFormat.Detailed;
  const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
  const log: RecognitionLog = {
    recognizing: [],
    recognized: [],
    canceled: [],
    speechStarts: [],
    speechEnds: [],
  };
  recognizer.recognizing = (_s, e) => log.recognizing.push(e.result.text);
  recognizer.recognized = (_s, e) => log.recognized.push(e.result);
  recognizer.canceled = (_s, e) => log.canceled.push(e);
  recognizer.speechStartDetected = (_s, e) => log.speechStarts.push(e.offset);
  recognizer.speechEndDetected = (_s, e) => log.speechEnds.push(e.offset);
  return { recognizer, log };
}

/** Continuous recognition of the whole stream, until the SDK reports the session stopped. */
export async function recognizeContinuous(
  emulator: RunningEmulator,
  audio: ArrayBuffer[],
  options: { rate?: number; detailed?: boolean } = {},
): Promise<RecognitionLog> {
  const { recognizer, log } = newRecognizer(
    emulator,
    audio,
    options.rate ?? 16000,
    options.detailed ?? false,
  );
  try {
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        recognizer.sessionStopped = () => resolve();
        recognizer.startContinuousRecognitionAsync(undefined, (e) => reject(new Error(e)));
      }),
      SDK_DEADLINE_MS,
      'continuous recognition',
    );
    await withDeadline(
      new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve())),
      SDK_DEADLINE_MS,
      'stopContinuousRecognitionAsync',
    );
  } finally {
    await closeClient(recognizer);
  }
  return log;
}

export async function recognizeOnce(
  emulator: RunningEmulator,
  audio: ArrayBuffer[],
  options: { rate?: number; detailed?: boolean } = {},
): Promise<{ result: sdk.SpeechRecognitionResult; log: RecognitionLog }> {
  const { recognizer, log } = newRecognizer(
    emulator,
    audio,
    options.rate ?? 16000,
    options.detailed ?? false,
  );
  try {
    const result = await withDeadline(
      new Promise<sdk.SpeechRecognitionResult>((resolve, reject) =>
        recognizer.recognizeOnceAsync(resolve, (e) => reject(new Error(e))),
      ),
      SDK_DEADLINE_MS,
      'recognizeOnceAsync',
    );
    return { result, log };
  } finally {
    await closeClient(recognizer);
  }
}

function espeakInstalled(): boolean {
  try {
    execFileSync(process.env.ESPEAK_NG_PATH || 'espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The voices SDK tests run with: the synthetic one always, espeak-ng too where it is installed (CI installs it
 * when it can). Decided synchronously, as `describe.each` needs it while the suite is built.
 */
export const TEST_VOICES: VoiceMode[] = espeakInstalled() ? ['synthetic', 'espeak'] : ['synthetic'];
