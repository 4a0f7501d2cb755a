import { encodeG711 } from '../audio/g711-codec';
import { Mp3Encoder } from '../audio/mp3-encoder';
import { pcm16ToBytes } from '../audio/wav-header';
import { SynthesisOutputFormat } from './synthesis-output-format';

/** Turns one turn's PCM chunks into the bytes of its output format. */
export interface AudioChunkEncoder {
  /** May return no bytes (mp3 holds samples back until it has a whole frame). */
  encode(samples: Int16Array): Buffer;
  /** What is still held back, at the end of the audio. */
  flush(): Buffer;
}

const NOTHING = Buffer.alloc(0);

/** One encoder per turn: mp3 keeps state between chunks. */
export function audioChunkEncoder(format: SynthesisOutputFormat): AudioChunkEncoder {
  const encoding = format.encoding;
  switch (encoding) {
    case 'pcm16':
      return { encode: pcm16ToBytes, flush: () => NOTHING };
    case 'mulaw':
    case 'alaw':
      return { encode: (samples) => encodeG711(samples, encoding), flush: () => NOTHING };
    case 'mp3': {
      const mp3 = new Mp3Encoder(format.sampleRate, format.kbps ?? 48);
      return { encode: (samples) => mp3.encode(samples), flush: () => mp3.flush() };
    }
  }
}
