/** What the player did, for the page's test hook and its own diagnostics. */
export interface PlaybackStats {
  chunksScheduled: number;
  chunksPlayed: number;
  secondsScheduled: number;
  /** Chunks that arrived after the previous one had finished playing (audible gaps). */
  underruns: number;
}

/** Start the first chunk this far ahead: room for network jitter between chunks, short enough not to be heard. */
const LEAD_SECONDS = 0.06;

/**
 * Plays 16-bit little-endian mono PCM as it streams in: each chunk becomes an AudioBuffer scheduled on the audio
 * clock exactly where the previous one ends, so consecutive chunks play without gaps however they were split.
 */
export class PcmStreamPlayer {
  readonly stats: PlaybackStats = { chunksScheduled: 0, chunksPlayed: 0, secondsScheduled: 0, underruns: 0 };
  private context: AudioContext | null = null;
  private nextStart = 0;
  private carry: number | null = null;
  private firstOfStream = true;
  private readonly sources = new Set<AudioBufferSourceNode>();
  /** Where each chunk of the current stream plays on the audio clock, and where it lies in the stream's audio. */
  private timeline: Array<{ at: number; offset: number; duration: number }> = [];
  private streamSeconds = 0;

  constructor(private readonly sampleRate: number) {}

  /** Creates or resumes the audio context; call from a user gesture (browsers block audio otherwise). */
  unlock(): void {
    this.context ??= new AudioContext();
    if (this.context.state === 'suspended') void this.context.resume();
  }

  /** A new stream begins: whatever still plays from the previous one stops. */
  begin(): void {
    this.stop();
    this.firstOfStream = true;
    this.timeline = [];
    this.streamSeconds = 0;
  }

  /**
   * How much of the current stream's audio has really been played, by the audio clock (not how much arrived):
   * gaps where the stream fell behind do not count. What a listener heard, for `tts.cancel`'s `playedMs`.
   */
  playedMs(): number {
    const context = this.context;
    if (context === null) return 0;
    const now = context.currentTime;
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const { at, offset, duration } = this.timeline[i];
      if (at <= now) return (offset + Math.min(now - at, duration)) * 1000;
    }
    return 0;
  }

  push(bytes: Uint8Array): void {
    const context = this.context;
    if (context === null) return;
    const samples = this.decode(bytes);
    if (samples.length === 0) return;
    const buffer = context.createBuffer(1, samples.length, this.sampleRate);
    buffer.copyToChannel(samples, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    const now = context.currentTime;
    let at = this.nextStart;
    if (this.firstOfStream || at < now) {
      // Starting (or restarting after the stream fell behind): leave a little room for the next chunk.
      if (!this.firstOfStream) this.stats.underruns++;
      at = now + LEAD_SECONDS;
      this.firstOfStream = false;
    }
    source.start(at);
    this.nextStart = at + buffer.duration;
    this.timeline.push({ at, offset: this.streamSeconds, duration: buffer.duration });
    this.streamSeconds += buffer.duration;
    this.sources.add(source);
    source.onended = () => {
      this.sources.delete(source);
      this.stats.chunksPlayed++;
    };
    this.stats.chunksScheduled++;
    this.stats.secondsScheduled += buffer.duration;
  }

  /** Stops everything scheduled (a cancelled request, a new one); `playedMs()` stays where playback stopped. */
  stop(): void {
    const played = this.playedMs() / 1000;
    // Nothing after the stop point was heard: the timeline ends there.
    this.timeline = this.timeline
      .filter((chunk) => chunk.offset < played)
      .map((chunk) => ({ ...chunk, duration: Math.min(chunk.duration, played - chunk.offset) }));
    for (const source of this.sources) {
      source.onended = null;
      source.stop();
    }
    this.sources.clear();
    this.nextStart = 0;
    this.carry = null;
  }

  get playing(): boolean {
    return this.sources.size > 0;
  }

  /** Int16 LE → float; a chunk may end in the middle of a sample, whose first byte is carried over. */
  private decode(bytes: Uint8Array): Float32Array<ArrayBuffer> {
    let offset = 0;
    const out = new Float32Array(Math.floor((bytes.length + (this.carry === null ? 0 : 1)) / 2));
    let i = 0;
    if (this.carry !== null && bytes.length > 0) {
      out[i++] = toFloat(this.carry | (bytes[0] << 8));
      offset = 1;
      this.carry = null;
    }
    for (; offset + 1 < bytes.length; offset += 2)
      out[i++] = toFloat(bytes[offset] | (bytes[offset + 1] << 8));
    if (offset < bytes.length) this.carry = bytes[offset];
    return out;
  }
}

function toFloat(unsigned: number): number {
  const signed = unsigned >= 0x8000 ? unsigned - 0x10000 : unsigned;
  return signed / 32768;
}
