import { SynthesisMemory } from './synthesis-memory';
import { matchAudio, speak, testVoice } from '../../../../test/support/emulator/remembered-speech';
import { TEST_VOICES } from '../../../../test/support/emulator/speech-sdk';
import { throughCapturePath } from '../../../../test/support/emulator/capture-path';

const RATE = 16000;

function recognise(memory: SynthesisMemory, samples: Int16Array): string | undefined {
  return matchAudio(memory, samples)
    ?.words.map((w) => w.display)
    .join(' ');
}

const SENTENCES = [
  'The first sentence is about the weather.',
  'The second one talks about trains and buses.',
  'A third says something about lunch.',
  'And the fourth is the last of them.',
];

describe('SynthesisMemory', () => {
  it.each(TEST_VOICES)('costs a few kilobytes per second of speech (%s voice)', async (mode) => {
    const voice = await testVoice(mode);
    const memory = new SynthesisMemory();
    let seconds = 0;
    for (const s of SENTENCES) seconds += (await speak(memory, s, { voice })).samples.length / RATE;
    expect(memory.size).toBe(SENTENCES.length);
    expect(memory.bytes / seconds).toBeGreaterThan(1000);
    expect(memory.bytes / seconds).toBeLessThan(6000);
  });

  it('a known synthesis is only marked used: nothing is recorded twice', async () => {
    const memory = new SynthesisMemory();
    await speak(memory, SENTENCES[0]);
    const bytes = memory.bytes;
    await speak(memory, SENTENCES[0]);
    expect(memory.size).toBe(1);
    expect(memory.bytes).toBe(bytes);
  });

  it('keeps to its byte budget, evicting the least recently used; evicted speech is no longer known', async () => {
    const probe = new SynthesisMemory();
    const audio: Int16Array[] = [];
    for (const s of SENTENCES.slice(0, 3)) audio.push((await speak(probe, s)).samples);
    // Room for three of these sentences, not four.
    const memory = new SynthesisMemory({ maxBytes: Math.ceil(probe.bytes * 1.1) });
    for (const s of SENTENCES.slice(0, 3)) await speak(memory, s);
    expect(memory.size).toBe(3);
    // Recognising the first makes the second the least recently used.
    expect(recognise(memory, audio[0])).toBe(SENTENCES[0]);
    await speak(memory, SENTENCES[3]);
    expect(memory.bytes).toBeLessThanOrEqual(Math.ceil(probe.bytes * 1.1));
    expect(recognise(memory, audio[1])).toBeUndefined();
    expect(recognise(memory, audio[0])).toBe(SENTENCES[0]);
    expect(recognise(memory, throughCapturePath(audio[2], RATE, { deviceRate: 48000, snrDb: 30 }))).toBe(
      SENTENCES[2],
    );
  });

  it('keeps to its entry bound', async () => {
    const memory = new SynthesisMemory({ maxEntries: 2 });
    for (const s of SENTENCES) await speak(memory, s);
    expect(memory.size).toBe(2);
  });

  it('stays correct while evicted postings are compacted away', async () => {
    const memory = new SynthesisMemory({ maxEntries: 3 });
    let last: Int16Array = new Int16Array(0);
    // Enough evictions that dead postings outnumber live ones several times over.
    for (let i = 0; i < 60; i++)
      last = (await speak(memory, `Sentence number ${i} of the long test run.`)).samples;
    expect(memory.size).toBe(3);
    expect(recognise(memory, last)).toBe('Sentence number 59 of the long test run.');
  });

  it('a synthesis can be recognised while it is still being recorded, and is never evicted then', async () => {
    const memory = new SynthesisMemory({ maxEntries: 1 });
    const rendered = await speak(memory, SENTENCES[0], { remember: false });
    const recording = memory.record('streaming', {
      text: SENTENCES[0],
      words: rendered.words.map((w) => ({
        word: w.word,
        display: w.display,
        lexical: w.lexical,
        startMs: (w.startSample * 1000) / RATE,
        endMs: (w.endSample * 1000) / RATE,
      })),
      locale: 'en-US',
      sampleRate: RATE,
    });
    recording?.push(rendered.samples);
    await speak(memory, SENTENCES[1]); // completes while the first still records: the second is the one evicted
    expect(recognise(memory, rendered.samples)).toBe(SENTENCES[0]);
    recording?.finish();
    expect(memory.size).toBe(1);
  });
});
