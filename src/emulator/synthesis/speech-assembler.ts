import { RenderedSegment, RenderedSpeech, TimedWord } from './speech-voice';

export type AssemblyPart = { kind: 'speech'; segment: RenderedSegment } | { kind: 'silence'; ms: number };

/**
 * Concatenates rendered segments and pauses into one utterance, offsetting word positions, and pads the end
 * to a whole 10 ms frame so durations in 100 ns ticks are exact at every rate.
 */
export function assembleSpeech(
  parts: AssemblyPart[],
  sampleRate: number,
  leadMs: number,
  tailMs: number,
): RenderedSpeech {
  const msToSamples = (ms: number): number => Math.round((ms * sampleRate) / 1000);
  let total = msToSamples(leadMs) + msToSamples(tailMs);
  for (const part of parts)
    total += part.kind === 'speech' ? part.segment.samples.length : msToSamples(part.ms);
  const frame = sampleRate / 100;
  total = Math.ceil(total / frame) * frame;

  const samples = new Int16Array(total);
  const words: TimedWord[] = [];
  let pos = msToSamples(leadMs);
  let text = '';
  for (const part of parts) {
    if (part.kind === 'silence') {
      pos += msToSamples(part.ms);
      continue;
    }
    const { segment } = part;
    if (text !== '' && segment.text !== '') text += ' ';
    const charBase = text.length;
    text += segment.text;
    samples.set(segment.samples, pos);
    for (const w of segment.words) {
      words.push({
        ...w,
        startSample: w.startSample + pos,
        endSample: w.endSample + pos,
        charStart: w.charStart + charBase,
        charEnd: w.charEnd + charBase,
      });
    }
    pos += segment.samples.length;
  }
  return { samples, sampleRate, text, words };
}
