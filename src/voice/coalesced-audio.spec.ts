import { expect } from '@jest/globals';
import { CoalescedAudio } from './coalesced-audio';

/** A CoalescedAudio whose turns the test ends by hand. */
function setup(maxBytes = 1_000) {
  const sent: Array<{ seq: number; bytes: number[] }> = [];
  const turnEnds: Array<() => void> = [];
  const audio = new CoalescedAudio(
    (chunk, seq) => sent.push({ seq, bytes: [...chunk] }),
    maxBytes,
    (task) => turnEnds.push(task),
  );
  const endTurn = (): void => {
    for (const task of turnEnds.splice(0)) task();
  };
  return { audio, sent, endTurn };
}

const chunk = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('CoalescedAudio', () => {
  it('sends the first chunk of a turn at once and the rest of the turn as one message when it ends', () => {
    const { audio, sent, endTurn } = setup();
    audio.push(chunk(1, 2));
    expect(sent).toEqual([{ seq: 0, bytes: [1, 2] }]);
    audio.push(chunk(3));
    audio.push(chunk(4, 5));
    expect(sent).toHaveLength(1);
    expect(audio.waitingBytes).toBe(3);
    endTurn();
    expect(sent).toEqual([
      { seq: 0, bytes: [1, 2] },
      { seq: 1, bytes: [3, 4, 5] },
    ]);
    expect(audio.waitingBytes).toBe(0);
  });

  it('never holds back paced audio: one chunk per turn goes out at once, every turn', () => {
    const { audio, sent, endTurn } = setup();
    for (let i = 0; i < 4; i++) {
      audio.push(chunk(i));
      expect(sent).toHaveLength(i + 1);
      endTurn();
    }
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1], [2], [3]]);
    expect(sent.map((m) => m.seq)).toEqual([0, 1, 2, 3]);
  });

  it('sends a batch as soon as it reaches the byte bound, without waiting for the turn to end', () => {
    const { audio, sent, endTurn } = setup(4);
    audio.push(chunk(0));
    audio.push(chunk(1, 2));
    expect(sent).toHaveLength(1);
    audio.push(chunk(3, 4));
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1, 2, 3, 4]]);
    audio.push(chunk(5));
    endTurn();
    expect(sent.map((m) => m.bytes)).toEqual([[0], [1, 2, 3, 4], [5]]);
  });

  it('flush sends what waits now (before an ack or a word event), and nothing when nothing waits', () => {
    const { audio, sent, endTurn } = setup();
    audio.push(chunk(1));
    audio.push(chunk(2));
    audio.flush();
    expect(sent.map((m) => m.bytes)).toEqual([[1], [2]]);
    audio.flush();
    endTurn();
    expect(sent).toHaveLength(2);
  });

  it('keeps every byte in order across many turns and bursts', () => {
    const { audio, sent, endTurn } = setup(7);
    const all: number[] = [];
    let next = 0;
    for (let turn = 0; turn < 20; turn++) {
      for (let c = 0; c < turn % 5; c++) {
        const bytes = Array.from({ length: (c % 3) + 1 }, () => next++ % 256);
        all.push(...bytes);
        audio.push(Buffer.from(bytes));
      }
      endTurn();
    }
    audio.flush();
    expect(sent.flatMap((m) => m.bytes)).toEqual(all);
    expect(sent.map((m) => m.seq)).toEqual(sent.map((_m, i) => i));
    expect(sent.every((m) => m.bytes.length > 0)).toBe(true);
  });

  it('ignores empty chunks', () => {
    const { audio, sent, endTurn } = setup();
    audio.push(Buffer.alloc(0));
    endTurn();
    expect(sent).toEqual([]);
  });
});
