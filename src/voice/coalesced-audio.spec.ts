import { expect } from '@jest/globals';
import { CoalescedAudio } from './coalesced-audio';

/** A CoalescedAudio whose windows the test closes by hand (`endWindow`); `open` counts the timers running. */
function setup(maxBytes = 1_000) {
  const sent: Array<{ seq: number; bytes: number[] }> = [];
  const windows: Array<{ task: () => void; canceled: boolean; ms: number }> = [];
  const audio = new CoalescedAudio(
    (chunk, seq) => sent.push({ seq, bytes: [...chunk] }),
    10,
    maxBytes,
    (task, ms) => {
      const window = { task, canceled: false, ms };
      windows.push(window);
      return () => (window.canceled = true);
    },
  );
  const endWindow = (): void => {
    for (const w of windows.splice(0)) if (!w.canceled) w.task();
  };
  const open = (): number => windows.filter((w) => !w.canceled).length;
  return { audio, sent, endWindow, open, windows };
}

const chunk = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('CoalescedAudio', () => {
  it('sends the first chunk at once and the chunks of its window as one message when the window ends', () => {
    const { audio, sent, endWindow, windows } = setup();
    audio.push(chunk(1, 2));
    expect(sent).toEqual([{ seq: 0, bytes: [1, 2] }]);
    expect(windows.map((w) => w.ms)).toEqual([10]);
    audio.push(chunk(3));
    audio.push(chunk(4, 5));
    expect(sent).toHaveLength(1);
    expect(audio.waitingBytes).toBe(3);
    endWindow();
    expect(sent).toEqual([
      { seq: 0, bytes: [1, 2] },
      { seq: 1, bytes: [3, 4, 5] },
    ]);
    expect(audio.waitingBytes).toBe(0);
  });

  it('never holds back audio that comes at its own pace: a chunk after an empty window goes out at once', () => {
    const { audio, sent, endWindow, open } = setup();
    for (let i = 0; i < 4; i++) {
      audio.push(chunk(i));
      expect(sent).toHaveLength(i + 1);
      endWindow(); // nothing came within the window: it closes
      expect(open()).toBe(0);
    }
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1], [2], [3]]);
    expect(sent.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
  });

  it('keeps gathering while a burst lasts: a window that sent something opens the next', () => {
    const { audio, sent, endWindow, open } = setup();
    audio.push(chunk(0));
    audio.push(chunk(1));
    endWindow();
    expect(open()).toBe(1);
    audio.push(chunk(2));
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1]]);
    endWindow();
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1], [2]]);
    endWindow();
    expect(open()).toBe(0);
  });

  it('sends a batch as soon as it reaches the byte bound, without waiting for the window to end', () => {
    const { audio, sent, endWindow } = setup(4);
    audio.push(chunk(0));
    audio.push(chunk(1, 2));
    expect(sent).toHaveLength(1);
    audio.push(chunk(3, 4));
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1, 2, 3, 4]]);
    audio.push(chunk(5));
    endWindow();
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1, 2, 3, 4], [5]]);
  });

  it('flush sends what waits now (before a word event), and nothing when nothing waits', () => {
    const { audio, sent, endWindow } = setup();
    audio.push(chunk(1));
    audio.push(chunk(2));
    audio.flush();
    expect(sent.map((m) => m.bytes)).toEqual([[1], [2]]);
    audio.flush();
    endWindow();
    expect(sent).toHaveLength(2);
  });

  it('close sends what waits and leaves no window open', () => {
    const { audio, sent, open } = setup();
    audio.push(chunk(1));
    audio.push(chunk(2));
    audio.close();
    expect(sent.map((m) => m.bytes)).toEqual([[1], [2]]);
    expect(open()).toBe(0);
  });

  it('keeps every byte in order across many windows and bursts', () => {
    const { audio, sent, endWindow } = setup(7);
    const all: number[] = [];
    let next = 0;
    for (let window = 0; window < 20; window++) {
      for (let c = 0; c < window % 5; c++) {
        const bytes = Array.from({ length: (c % 3) + 1 }, () => next++ % 256);
        all.push(...bytes);
        audio.push(Buffer.from(bytes));
      }
      endWindow();
    }
    audio.close();
    expect(sent.flatMap((m) => m.bytes)).toEqual(all);
    expect(sent.map((m) => m.seq)).toEqual(sent.map((_m, i) => i));
    expect(sent.every((m) => m.bytes.length > 0)).toBe(true);
  });

  it('ignores empty chunks', () => {
    const { audio, sent, open } = setup();
    audio.push(Buffer.alloc(0));
    expect(sent).toEqual([]);
    expect(open()).toBe(0);
  });
});
