import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';

/** The part of @breezystack/lamejs the emulator uses. */
interface LameMp3Encoder {
  encodeBuffer(samples: Int16Array): Uint8Array;
  flush(): Uint8Array;
}
interface Lame {
  Mp3Encoder: new (channels: number, sampleRate: number, kbps: number) => LameMp3Encoder;
}

let lame: Lame | undefined;

/**
 * @breezystack/lamejs ships an ES module, which Jest's CommonJS runtime cannot `require`, and, under the
 * `require` condition, a classic script that only declares `var lamejs = …` and exports nothing. We run that
 * script's source once, wrapped in a function so `lamejs` stays local rather than becoming a global, in this
 * realm (so its typed arrays are ours), and take the encoder class from it.
 */
function loadLame(): Lame {
  if (lame) return lame;
  const file = require.resolve('@breezystack/lamejs');
  const source = readFileSync(file, 'utf8');
  const factory = new Script(`(function () {\n${source}\nreturn lamejs;\n})`, {
    filename: file,
  }).runInThisContext() as () => Lame;
  lame = factory();
  return lame;
}

/** A streaming mono mp3 encoder: feed PCM chunks, send what comes out (often nothing at first), flush at the end. */
export class Mp3Encoder {
  private readonly encoder: LameMp3Encoder;

  constructor(sampleRate: number, kbps: number) {
    this.encoder = new (loadLame().Mp3Encoder)(1, sampleRate, kbps);
  }

  encode(samples: Int16Array): Buffer {
    return Buffer.from(this.encoder.encodeBuffer(samples));
  }

  flush(): Buffer {
    return Buffer.from(this.encoder.flush());
  }
}
