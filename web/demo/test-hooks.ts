import type { PlaybackStats } from './pcm-stream-player';

/**
 * What the demo exposes on `window.warmline` for automated checks (and the curious, in the console): the
 * playback counters, the microphone's frame counters, the session id, and a way to stream 16 kHz PCM through the
 * same recognition path the microphone uses.
 */
export interface DemoHooks {
  playback: Readonly<PlaybackStats>;
  /** How much of the current request's audio has really been played, by the audio clock. */
  playedMs(): number;
  /** Stream mode: pieces fed so far, and how many had been fed when the first audio arrived (-1: none yet). */
  stream: Readonly<{ piecesWritten: number; piecesAtFirstAudio: number }>;
  mic: { framesSent: number; bytesSent: number };
  sessionId(): string | null;
  transcribePcm(pcm: ArrayBuffer): Promise<{ finals: number }>;
}

export function exposeDemoHooks(hooks: DemoHooks): void {
  (window as unknown as { warmline: DemoHooks }).warmline = hooks;
}
