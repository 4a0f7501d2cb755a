import { createRandom } from '../audio/deterministic-random';
import { VadEvent, VoiceActivityDetector } from './voice-activity-detector';

const RATE = 16000;
const ms = (n: number): number => (n * RATE) / 1000;

/** Concatenates parts: silence, tone bursts and noise at given RMS levels. */
function signal(
  parts: Array<{ ms: number; kind: 'silence' | 'tone' | 'noise'; amplitude?: number }>,
  seed = 1,
): Int16Array {
  const random = createRandom(seed);
  const total = parts.reduce((sum, p) => sum + ms(p.ms), 0);
  const out = new Int16Array(total);
  let pos = 0;
  for (const p of parts) {
    const a = p.amplitude ?? 8000;
    for (let i = 0; i < ms(p.ms); i++, pos++) {
      if (p.kind === 'tone')
        out[pos] = Math.round(
          a * Math.sin((2 * Math.PI * 220 * i) / RATE) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 4 * i) / RATE)),
        );
      if (p.kind === 'noise') out[pos] = Math.round(a * (random() * 2 - 1));
    }
  }
  return out;
}

function run(samples: Int16Array, chunk = 333): VadEvent[] {
  const vad = new VoiceActivityDetector({ sampleRate: RATE });
  const events: VadEvent[] = [];
  for (let i = 0; i < samples.length; i += chunk) events.push(...vad.push(samples.subarray(i, i + chunk)));
  events.push(...vad.flush());
  return events;
}

describe('VoiceActivityDetector', () => {
  it('finds nothing in digital silence or in quiet hiss', () => {
    expect(run(signal([{ ms: 2000, kind: 'silence' }]))).toEqual([]);
    expect(run(signal([{ ms: 2000, kind: 'noise', amplitude: 40 }]))).toEqual([]);
  });

  it('detects one burst with start and end within a few frames', () => {
    const events = run(
      signal([
        { ms: 500, kind: 'silence' },
        { ms: 800, kind: 'tone' },
        { ms: 1000, kind: 'silence' },
      ]),
    );
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
    expect(Math.abs(events[0].sample - ms(500))).toBeLessThanOrEqual(ms(30));
    expect(Math.abs(events[1].sample - ms(1300))).toBeLessThanOrEqual(ms(30));
  });

  it('keeps short pauses inside an utterance and splits on long ones', () => {
    const events = run(
      signal([
        { ms: 300, kind: 'silence' },
        { ms: 400, kind: 'tone' },
        { ms: 250, kind: 'silence' }, // pause between words
        { ms: 400, kind: 'tone' },
        { ms: 1200, kind: 'silence' }, // end of utterance
        { ms: 500, kind: 'tone' },
        { ms: 900, kind: 'silence' },
      ]),
    );
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd', 'speechStart', 'speechEnd']);
    expect(Math.abs(events[1].sample - ms(1350))).toBeLessThanOrEqual(ms(30));
    expect(Math.abs(events[2].sample - ms(2550))).toBeLessThanOrEqual(ms(30));
  });

  it('adapts to a steady background: only speech well above it counts', () => {
    const background = signal([{ ms: 3500, kind: 'noise', amplitude: 600 }], 7);
    const speech = signal([
      { ms: 1500, kind: 'silence' },
      { ms: 700, kind: 'tone', amplitude: 12000 },
      { ms: 1300, kind: 'silence' },
    ]);
    const mixed = background.map((v, i) => v + speech[i]);
    const events = run(mixed);
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
    expect(Math.abs(events[0].sample - ms(1500))).toBeLessThanOrEqual(ms(40));
  });

  it('ignores clicks shorter than the start debounce', () => {
    expect(
      run(
        signal([
          { ms: 500, kind: 'silence' },
          { ms: 10, kind: 'tone', amplitude: 20000 },
          { ms: 500, kind: 'silence' },
        ]),
      ),
    ).toEqual([]);
  });

  it('ends an utterance in progress at end of stream, at its last speech frame', () => {
    const events = run(
      signal([
        { ms: 200, kind: 'silence' },
        { ms: 600, kind: 'noise', amplitude: 5000 },
        { ms: 100, kind: 'silence' },
      ]),
    );
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
    expect(Math.abs(events[1].sample - ms(800))).toBeLessThanOrEqual(ms(20));
  });

  it('gives the same events whatever the chunk size', () => {
    const s = signal([
      { ms: 300, kind: 'silence' },
      { ms: 500, kind: 'tone' },
      { ms: 900, kind: 'silence' },
    ]);
    expect(run(s, 1)).toEqual(run(s, 4096));
    expect(run(s, 37)).toEqual(run(s, 160));
  });
});
