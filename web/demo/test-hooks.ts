import type { PlaybackStats } from './pcm-stream-player';

/**
 * What the demo exposes on `window.warmline` for automated checks (and the curious, in the console): the
 * playback counters, the microphone's frame counters, the session id, and a way to stream 16 kHz PCM through the
 * same recognition path the microphone uses.
 */
export interface DemoHooks {
  playback: Readonly<PlaybackStats>;
  mic: { framesSent: number; bytesSent: number };
  sessionId(): string | null;
  transcribePcm(pcm: ArrayBuffer): Promise<{ finals: number }>;
}

export function exposeDemoHooks(hooks: DemoHooks): void {
  (window as unknown as { warmline: DemoHooks }).warmline = hooks;
}
