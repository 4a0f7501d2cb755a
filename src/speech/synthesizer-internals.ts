import type { SpeechSynthesisOutputFormat, SpeechSynthesizer } from 'microsoft-cognitiveservices-speech-sdk';
import { AudioOutputFormatImpl } from 'microsoft-cognitiveservices-speech-sdk/distrib/lib/src/sdk/Audio/AudioOutputFormat';

/** The parts of the SDK's synthesis adapter (`synthesizer.internalData`) warmline relies on; see docs/speech-sdk-notes.md. */
interface SynthesisAdapter {
  audioOutputFormat: unknown;
  privConnectionPromise?: Promise<{ dispose(): Promise<void> }> | null;
  privConnectionConfigurationPromise?: unknown;
  privSynthesisTurn: { onAudioChunkReceived(data: ArrayBuffer): void };
  stopSpeaking(): Promise<void>;
}

function isSynthesisAdapter(value: unknown): value is SynthesisAdapter {
  const adapter = value as Partial<SynthesisAdapter> | null;
  return (
    typeof adapter === 'object' &&
    adapter !== null &&
    typeof adapter.stopSpeaking === 'function' &&
    typeof adapter.privSynthesisTurn?.onAudioChunkReceived === 'function'
  );
}

/**
 * Everything TtsClient needs that SpeechSynthesizer does not expose, in one place. Checked when a synthesizer is
 * made, so an SDK upgrade that moves these fails loudly in the tests instead of degrading quietly.
 */
export class SynthesizerInternals {
  private readonly adapter: SynthesisAdapter;

  constructor(synthesizer: SpeechSynthesizer) {
    const adapter: unknown = synthesizer.internalData;
    if (!isSynthesisAdapter(adapter)) {
      throw new Error('the Speech SDK synthesis adapter no longer has the members warmline relies on');
    }
    this.adapter = adapter;
  }

  /**
   * The SDK fixes the output format at construction; its adapter re-reads the format for every turn's
   * synthesis.context, so switching it here lets one warm socket serve every format.
   */
  setOutputFormat(format: SpeechSynthesisOutputFormat): void {
    this.adapter.audioOutputFormat = AudioOutputFormatImpl.fromSpeechSynthesisOutputFormat(format);
  }

  /**
   * The SDK copies every audio chunk of a turn into an in-memory stream so that the turn's result can carry all
   * of its audio, and keeps it until the next turn. warmline streams chunks from the `synthesizing` event and
   * never reads the result's audio, so that copy is pure cost (a 10-minute turn at 48 kHz is 58 MB), and it
   * keeps growing while a canceled turn runs on. Dropping it here leaves the result's audio empty.
   */
  discardResultAudio(): void {
    this.adapter.privSynthesisTurn.onAudioChunkReceived = () => undefined;
  }

  /**
   * Sends the protocol's `synthesis.control` stop for the current turn. The SDK offers this only on
   * AvatarSynthesizer.stopSpeakingAsync, which calls this same method of the adapter base both share.
   */
  requestStop(): Promise<void> {
    return this.adapter.stopSpeaking();
  }

  /**
   * SDK 1.52 leak: SpeechSynthesizer.close() disposes only the connection a synthesis configured, not one opened
   * by Connection.openConnection(), so a pre-connected synthesizer that never spoke would keep its socket open.
   * Returns that connection so the caller can dispose it (verified by the integration tests).
   */
  orphanedConnection(): Promise<{ dispose(): Promise<void> }> | null {
    if (this.adapter.privConnectionConfigurationPromise !== undefined) return null;
    return this.adapter.privConnectionPromise ?? null;
  }
}
