/** RIFF and data sizes of a stream whose length is unknown when the header is sent (the usual convention). */
const UNKNOWN_SIZE = 0xffffffff;

/**
 * The 44-byte header of a WAV stream of 16-bit little-endian mono PCM whose length is not known up front: both
 * sizes are 0xFFFFFFFF, which decoders read as "until the end of the stream".
 */
export function streamingWavHeader(sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(UNKNOWN_SIZE, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(UNKNOWN_SIZE, 40);
  return header;
}
