import { encodeG711 } from '../audio/g711-codec';
import { Mp3Encoder } from '../audio/mp3-encoder';
import { OggOpusEncoder } from '../audio/ogg-opus-encoder';
import { pcm16ToBytes } from '../audio/wav-header';
import { SynthesisOutputFormat } from './synthesis-output-format';

/** Turns one turn's PCM chunks into the bytes of its output format. */
export interface AudioChunkEncoder {
  /** May return no bytes (mp3 holds samples back until it has a whole frame). */
  encode(samples: Int16Array): Buffer;
  /** What is still held back, at the end of the audio (opus: once its encoder process has finished). */
  flush(): Buffer | Promise<Buffer>;
  /** Frees what the encoder holds (opus: its process), whether or not the audio was flushed. */
  dispose(): void;
}

const NOTHING = Buffer.alloc(0);
const noop = (): void => undefined;

/** One encoder per turn: mp3 and opus keep state between chunks. */
export function audioChunkEncoder(format: SynthesisOutputFormat): AudioChunkEncoder {
  const encoding = format.encoding;
  switch (encoding) {
    case 'pcm16':
      return { encode: pcm16ToBytes, flush: () => NOTHING, dispose: noop };
    case 'mulaw':
    case 'alaw':
      return { encode: (samples) => encodeG711(samples, encoding), flush: () => NOTHING, dispose: noop };
    case 'mp3': {
      const mp3 = new Mp3Encoder(format.sampleRate, format.kbps ?? 48);
      return { encode: (samples) => mp3.encode(samples), flush: () => mp3.flush(), dispose: noop };
    }
    case 'opus': {
      const opus = new OggOpusEncoder(format.sampleRate, format.kbps ?? 32);
      return {
        encode: (samples) => opus.encode(samples),
        flush: () => opus.flush(),
        dispose: () => opus.dispose(),
      };
    }
  }
}
