import { SynthesisMemory } from './synthesis-memory';
import { matchAudio, speak, testVoice } from '../../../../test/support/emulator/remembered-speech';
import { TEST_VOICES } from '../../../../test/support/emulator/speech-sdk';
import { throughCapturePath } from '../../../../test/support/emulator/capture-path';
import { storedWords } from '../../synthesis/turn-memory';

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
    const recording = memory.record(RATE);
    recording?.say(storedWords(rendered.words, RATE, 0, 'en-US'));
    recording?.push(rendered.samples);
    await speak(memory, SENTENCES[1]); // completes while the first still records: the second is the one evicted
    expect(recognise(memory, rendered.samples)).toBe(SENTENCES[0]);
    recording?.finish();
    expect(memory.size).toBe(1);
  });

  it('learns a synthesis sentence by sentence: words told after the first audio are heard, each with its locale', async () => {
    const memory = new SynthesisMemory();
    const first = await speak(memory, SENTENCES[0], { remember: false });
    const second = await speak(memory, 'Guten Morgen, wie geht es dir heute?', {
      voiceName: 'de-DE-KatjaNeural',
      remember: false,
    });
    const recording = memory.record(RATE);
    recording?.say(storedWords(first.words, RATE, 0, 'en-US'));
    recording?.push(first.samples);
    expect(recognise(memory, first.samples)).toBe(SENTENCES[0]); // heard before the rest is known
    recording?.say(storedWords(second.words, RATE, first.samples.length, 'de-DE'));
    recording?.push(second.samples);
    recording?.finish('both');
    const both = new Int16Array(first.samples.length + second.samples.length);
    both.set(first.samples);
    both.set(second.samples, first.samples.length);
    const heard = matchAudio(memory, both);
    expect(heard?.words.map((w) => w.display).join(' ')).toBe(
      `${SENTENCES[0]} Guten Morgen, wie geht es dir heute?`,
    );
    expect(heard?.words.map((w) => w.locale)).toEqual([
      ...first.words.map(() => 'en-US'),
      ...second.words.map(() => 'de-DE'),
    ]);
    expect(matchAudio(memory, second.samples)?.words[0].locale).toBe('de-DE');
  });

  it('a render named when it ends is kept once; a stopped one keeps what was sent, unnamed', async () => {
    const memory = new SynthesisMemory();
    const rendered = await speak(memory, SENTENCES[0], { remember: false });
    const record = (name: string | undefined, samples = rendered.samples): void => {
      const recording = memory.record(RATE);
      recording?.say(storedWords(rendered.words, RATE, 0, 'en-US'));
      recording?.push(samples);
      recording?.finish(name);
    };
    record('turn');
    const bytes = memory.bytes;
    record('turn'); // a streamed turn that said the same: the copy goes
    expect(memory.size).toBe(1);
    expect(memory.bytes).toBe(bytes);
    expect(memory.record(RATE, 'turn')).toBeUndefined(); // known up front: nothing to record

    const half = rendered.samples.subarray(0, Math.floor(rendered.samples.length / 2));
    record(undefined, half); // stopped half way
    expect(memory.size).toBe(2);
    const silent = memory.record(RATE); // a turn with nothing to say is not kept
    silent?.push(new Int16Array(RATE));
    silent?.finish('silence');
    expect(memory.size).toBe(2);
  });
});
