import { partsOf, PartSource, speakParts } from './speak-parts';
import { PlanPart } from './speech-plan';
import { RenderedSegment, SpeechUnit, SpeechVoice } from './speech-voice';

/** A voice whose renders finish only when the test says so. */
class GatedVoice implements SpeechVoice {
  readonly kind = 'synthetic' as const;
  readonly leadMs = 0;
  readonly tailMs = 0;
  readonly started: string[] = [];
  private readonly gates = new Map<string, (segment: RenderedSegment) => void>();

  renderUnit(unit: SpeechUnit): Promise<RenderedSegment> {
    this.started.push(unit.text);
    return new Promise((resolve) => this.gates.set(unit.text, resolve));
  }

  render(): never {
    throw new Error('not used');
  }

  finish(text: string): void {
    this.gates.get(text)?.({ samples: new Int16Array(10), text, words: [] });
  }
}

const unit = (text: string): PlanPart => ({ kind: 'unit', unit: { text, voice: 'v', lang: undefined } });
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function sink() {
  const played: string[] = [];
  return {
    played,
    audio: {
      speech: (segment: RenderedSegment) => {
        played.push(segment.text);
        return Promise.resolve();
      },
      silence: (ms: number) => {
        played.push(`<${ms} ms>`);
        return Promise.resolve();
      },
    },
  };
}

describe('speakParts', () => {
  it('streams the first unit as soon as it is rendered, rendering only one unit ahead', async () => {
    const voice = new GatedVoice();
    const { played, audio } = sink();
    const texts = Array.from({ length: 20 }, (_, i) => `Sentence ${i}.`);
    const done = speakParts(partsOf(texts.map(unit)), voice, audio, 16000, new AbortController().signal);
    await flush();
    expect(voice.started).toEqual(['Sentence 0.', 'Sentence 1.']);
    voice.finish('Sentence 0.');
    await flush();
    // Audio is out while the rest of the text is not even rendered: the first byte does not grow with the text.
    expect(played).toEqual(['Sentence 0.']);
    expect(voice.started).toEqual(['Sentence 0.', 'Sentence 1.', 'Sentence 2.']);
    for (const text of texts.slice(1)) {
      voice.finish(text);
      await flush();
    }
    await done;
    expect(played).toEqual(texts);
  });

  it('keeps pauses in place and waits for a streamed source', async () => {
    const voice = new GatedVoice();
    const { played, audio } = sink();
    const pending: PlanPart[] = [];
    let ended = false;
    let wake: () => void = () => undefined;
    const source: PartSource = {
      next: () => pending.shift(),
      get done() {
        return ended && pending.length === 0;
      },
      wait: () => new Promise((resolve) => (wake = resolve)),
    };
    const done = speakParts(source, voice, audio, 16000, new AbortController().signal);
    pending.push(unit('One.'), { kind: 'silence', ms: 300 });
    wake();
    await flush();
    voice.finish('One.');
    await flush();
    expect(played).toEqual(['One.', '<300 ms>']);
    pending.push(unit('Two.'));
    ended = true;
    wake();
    await flush();
    voice.finish('Two.');
    await done;
    expect(played).toEqual(['One.', '<300 ms>', 'Two.']);
  });

  it('returns at once when the turn stops while a unit is still rendering', async () => {
    const voice = new GatedVoice();
    const { played, audio } = sink();
    const stop = new AbortController();
    const done = speakParts(partsOf([unit('Slow.')]), voice, audio, 16000, stop.signal);
    await flush();
    stop.abort();
    await done;
    expect(played).toEqual([]);
  });
});
