import { AudioFingerprintStore } from './audio-fingerprint-store';
import { createRandom } from '../audio/deterministic-random';
import { RenderedSpeech, TimedWord } from '../synthesis/speech-voice';
import { SyntheticVoice } from '../synthesis/synthetic-voice';
import { tokenizeWords } from '../synthesis/word-tokenizer';

const RATE = 16000;
const voice = new SyntheticVoice();

function render(
  text: string,
  rate = RATE,
  segments?: Parameters<SyntheticVoice['render']>[0]['segments'],
): Promise<RenderedSpeech> {
  return voice.render({
    segments: segments ?? [{ kind: 'text', text, voice: 'en-US-JennyNeural', lang: 'en-US' }],
    defaultVoice: 'en-US-JennyNeural',
    defaultLang: 'en-US',
    sampleRate: rate,
  });
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

function noise(length: number, amplitude: number, seed: number): Int16Array {
  const random = createRandom(seed);
  return Int16Array.from({ length }, () => Math.round(amplitude * (random() * 2 - 1)));
}

/** Feeds audio in pseudo-random chunk sizes, like a network would deliver it. */
function query(store: AudioFingerprintStore, audio: Int16Array, seed = 3, rate = RATE, start = 0) {
  const q = store.createQuery(rate, start);
  const random = createRandom(seed);
  for (let i = 0; i < audio.length;) {
    const n = 1 + Math.floor(random() * 3000);
    q.feed(audio.subarray(i, i + n));
    i += n;
  }
  return q;
}

describe('AudioFingerprintStore', () => {
  it('recognises a synthesis fed in arbitrary chunks, with any leading and trailing silence', async () => {
    const store = new AudioFingerprintStore();
    const speech = await render('Hello world, this is a test.');
    store.add('a', speech);
    const audio = concat(new Int16Array(12345), speech.samples, new Int16Array(777));
    const match = query(store, audio).match('final');
    expect(match?.display).toBe('Hello world, this is a test.');
    expect(match?.lexical).toBe('hello world this is a test');
    expect(match?.coverage).toBeGreaterThan(0.95);
  });

  it('still matches when the edges of the audio are trimmed', async () => {
    const store = new AudioFingerprintStore();
    const speech = await render('Trimmed at both ends is fine.');
    store.add('a', speech);
    const trimmed = speech.samples.subarray(
      Math.round(RATE * 0.06),
      speech.samples.length - Math.round(RATE * 0.12),
    );
    expect(query(store, trimmed, 9).match('final')?.display).toBe('Trimmed at both ends is fine.');
  });

  it('never confuses two texts, also among many stored ones', async () => {
    const store = new AudioFingerprintStore();
    const texts = [
      'Hello there.',
      'Hello world.',
      'Good morning.',
      'Good morning!',
      'The quick brown fox.',
      'One two three.',
    ];
    const rendered = await Promise.all(texts.map((t) => render(t)));
    rendered.forEach((r, i) => store.add(String(i), r));
    rendered.forEach((r, i) => expect(query(store, r.samples, i).match('final')?.display).toBe(texts[i]));
  });

  it('picks the entry that covers the query when two share a stretch of identical audio', () => {
    const store = new AudioFingerprintStore();
    const shared = noise(RATE, 8000, 1);
    const tailA = noise(RATE, 8000, 2);
    const tailB = noise(RATE, 8000, 3);
    const entry = (text: string, samples: Int16Array): RenderedSpeech => ({
      samples,
      sampleRate: RATE,
      text,
      words: tokenizeWords(text).map((w, i): TimedWord => ({
        ...w,
        startSample: i * RATE,
        endSample: (i + 1) * RATE,
      })),
    });
    store.add('a', entry('shared alpha', concat(shared, tailA)));
    store.add('b', entry('shared beta', concat(shared, tailB)));
    expect(query(store, concat(shared, tailB)).match('final')?.display).toBe('shared beta');
    expect(query(store, concat(shared, tailA)).match('final')?.display).toBe('shared alpha');
  });

  it('does not match noise, other audio mixed in, another rate, or an empty store', async () => {
    const store = new AudioFingerprintStore();
    const speech = await render('Mixed audio is not a match.');
    expect(query(store, speech.samples).match('final')).toBeUndefined();
    store.add('a', speech);
    expect(query(store, noise(RATE * 2, 5000, 4)).match('final')).toBeUndefined();
    const mixed = speech.samples.map((v, i) => v + ((i * 7919) % 61) - 30);
    expect(query(store, mixed).match('final')).toBeUndefined();
    const other = await render('Mixed audio is not a match.', 24000);
    expect(query(store, other.samples, 1, 24000).match('final')).toBeUndefined();
  });

  it('gives growing word prefixes for partial audio and only the words heard', async () => {
    const store = new AudioFingerprintStore();
    const speech = await render('one two three four five six');
    store.add('a', speech);
    const prefixes: string[] = [];
    const q = store.createQuery(RATE, 0);
    const step = Math.round(RATE * 0.2);
    for (let i = 0; i < speech.samples.length; i += step) {
      q.feed(speech.samples.subarray(i, i + step));
      const m = q.match('partial');
      if (m && m.lexical !== prefixes[prefixes.length - 1]) prefixes.push(m.lexical);
    }
    expect(prefixes.length).toBeGreaterThanOrEqual(4);
    prefixes.forEach((p, i) => {
      expect('one two three four five six'.startsWith(p)).toBe(true);
      if (i > 0) expect(p.length).toBeGreaterThan(prefixes[i - 1].length);
    });
    expect(prefixes[prefixes.length - 1]).toBe('one two three four five six');
  });

  it('recognises each side of a long break as its own words', async () => {
    const store = new AudioFingerprintStore();
    const speech = await render('', RATE, [
      { kind: 'text', text: 'Before the pause.', voice: 'v', lang: undefined },
      { kind: 'break', ms: 2000 },
      { kind: 'text', text: 'After it.', voice: 'v', lang: undefined },
    ]);
    store.add('a', speech);
    const gapStart = speech.words[2].endSample + RATE / 2;
    const first = query(store, speech.samples.subarray(0, gapStart)).match('final');
    const second = query(store, speech.samples.subarray(gapStart), 5, RATE, gapStart).match('final');
    expect(first?.display).toBe('Before the pause.');
    expect(second?.display).toBe('After it.');
  });

  it('stays bounded: the oldest entries are evicted', async () => {
    const store = new AudioFingerprintStore({ maxEntries: 3 });
    const texts = ['first one', 'second one', 'third one', 'fourth one'];
    const rendered = await Promise.all(texts.map((t) => render(t)));
    rendered.forEach((r, i) => store.add(texts[i], r));
    expect(store.size).toBe(3);
    expect(query(store, rendered[0].samples).match('final')).toBeUndefined();
    expect(query(store, rendered[3].samples).match('final')?.display).toBe('fourth one');
  });

  it('adding the same render again only refreshes it', async () => {
    const store = new AudioFingerprintStore({ maxEntries: 2 });
    const [a, b, c] = await Promise.all(['aa bb', 'cc dd', 'ee ff'].map((t) => render(t)));
    store.add('a', a);
    store.add('b', b);
    store.add('a', a); // now b is the oldest
    store.add('c', c);
    expect(query(store, a.samples).match('final')?.display).toBe('aa bb');
    expect(query(store, b.samples).match('final')).toBeUndefined();
  });
});
