/**
 * The Speech SDK used directly, without warmline: what voice apps do before pooling (a synthesizer per request)
 * and the floor (one synthesizer, already connected and used, kept open).
 */
import {
  CancellationDetails,
  ResultReason,
  SpeechConfig,
  SpeechSynthesizer,
  type SpeechSynthesisEventArgs,
  type SpeechSynthesisResult,
} from 'microsoft-cognitiveservices-speech-sdk';
import { DEFAULT_TTS_FORMAT, type TtsFormat } from '../../src/protocol/client-payloads';
import { sdkOutputFormat } from '../../src/speech/audio-format';
import { detachHandler } from '../../src/speech/connection-watch';

export const BENCH_VOICE = 'en-US-JennyNeural';
export const BENCH_KEY = 'bench-key';

export function createSynthesizer(url: string, format: TtsFormat = DEFAULT_TTS_FORMAT): SpeechSynthesizer {
  const config = SpeechConfig.fromHost(new URL(url), BENCH_KEY);
  config.speechSynthesisOutputFormat = sdkOutputFormat(format);
  config.speechSynthesisVoiceName = BENCH_VOICE;
  return new SpeechSynthesizer(config, null); // null: no speaker on a server
}

export interface SdkSynthesis {
  ok: boolean;
  /** ms from `startedAt` to the first audio chunk; null when none arrived. */
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
  /** The SDK's error text on failure (a refused upgrade says `Unexpected server response: 429`). */
  error?: string;
}

/** One synthesis on `synthesizer`; times are from `startedAt` (performance.now()), default now. */
export function synthesize(
  synthesizer: SpeechSynthesizer,
  ssml: string,
  startedAt = performance.now(),
  timeoutMs = 30_000,
): Promise<SdkSynthesis> {
  return new Promise((resolve) => {
    let firstByteMs: number | null = null;
    let bytes = 0;
    const done = (ok: boolean, error?: string): void => {
      clearTimeout(timer);
      detachHandler(synthesizer, 'synthesizing'); // the SDK skips event work when no handler is attached
      resolve({ ok, firstByteMs, totalMs: performance.now() - startedAt, bytes, error });
    };
    // The SDK can hang forever on some upstream closes (see docs/speech-sdk-notes.md): never wait unbounded.
    const timer = setTimeout(() => done(false, `no result within ${timeoutMs} ms`), timeoutMs);
    synthesizer.synthesizing = (_sender: unknown, event: SpeechSynthesisEventArgs) => {
      const length = event.result.audioData.byteLength;
      if (length === 0) return;
      firstByteMs ??= performance.now() - startedAt;
      bytes += length;
    };
    synthesizer.speakSsmlAsync(
      ssml,
      (result: SpeechSynthesisResult) => {
        if (result.reason === ResultReason.SynthesizingAudioCompleted) return done(true);
        done(false, CancellationDetails.fromResult(result).errorDetails ?? 'canceled');
      },
      (error: string) => done(false, error),
    );
  });
}

/** Closes a synthesizer and resolves once its socket is gone. */
export function closeSynthesizer(synthesizer: SpeechSynthesizer): Promise<void> {
  return new Promise((resolve) => {
    try {
      synthesizer.close(
        () => resolve(),
        () => resolve(),
      );
    } catch {
      resolve(); // already disposed by the SDK
    }
  });
}

/** (a) What apps do without a pool: a new synthesizer (new socket) per request, closed afterwards. */
export async function synthesizeWithNewSynthesizer(url: string, ssml: string): Promise<SdkSynthesis> {
  const startedAt = performance.now();
  const synthesizer = createSynthesizer(url);
  const result = await synthesize(synthesizer, ssml, startedAt);
  await closeSynthesizer(synthesizer);
  return result;
}

/** (d) The floor: a synthesizer that is connected and has spoken once, ready for the next request. */
export async function openSynthesizer(url: string, warmupSsml: string): Promise<SpeechSynthesizer> {
  const synthesizer = createSynthesizer(url);
  const warm = await synthesize(synthesizer, warmupSsml);
  if (!warm.ok) throw new Error(`warm-up synthesis failed: ${warm.error}`);
  return synthesizer;
}

/** The HTTP status of a refused upgrade in the SDK's error text, if any. */
export function upstreamStatus(error: string | undefined): number | null {
  const match = /Unexpected server response: (\d{3})/.exec(error ?? '');
  return match ? Number(match[1]) : null;
}
