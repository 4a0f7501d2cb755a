import { el } from '../shared/dom';
import { formatClock, formatMs } from '../shared/format';
import type { TypedError } from '../shared/typed-error';

export interface SpeechOutcome {
  tier: string;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

/** One row per synthesis request, newest first; a row is filled in when the request ends. */
export class HistoryTable {
  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly empty: HTMLElement,
    private readonly bytesPerSecond: number,
  ) {}

  get rows(): number {
    return this.body.rows.length;
  }

  add(text: string, voice: string): HistoryRow {
    const cells = {
      tier: el('td', { 'data-testid': 'history-tier' }, '…'),
      firstByte: el('td', { class: 'num' }, '…'),
      total: el('td', { class: 'num' }, '…'),
      audio: el('td', { class: 'num' }, '…'),
    };
    const row = el(
      'tr',
      { 'data-testid': 'history-row' },
      el('td', {}, formatClock(Date.now())),
      el('td', { class: 'text', title: text }, text),
      el('td', { 'data-testid': 'history-voice' }, voice === '' ? 'default' : voice),
      cells.tier,
      cells.firstByte,
      cells.total,
      cells.audio,
    );
    this.body.prepend(row);
    this.empty.hidden = true;
    return {
      done: (outcome) => {
        cells.tier.textContent = outcome.tier;
        cells.tier.className = 'tier';
        cells.tier.dataset.tier = outcome.tier;
        cells.firstByte.textContent = `${formatMs(outcome.firstByteMs)} ms`;
        cells.total.textContent = `${formatMs(outcome.totalMs)} ms`;
        cells.audio.textContent = `${(outcome.bytes / this.bytesPerSecond).toFixed(1)} s`;
      },
      failed: (error) => {
        row.classList.add('failed');
        cells.tier.textContent = error.code;
        cells.tier.title = error.message;
        for (const cell of [cells.firstByte, cells.total, cells.audio]) cell.textContent = '—';
      },
    };
  }
}

export interface HistoryRow {
  done(outcome: SpeechOutcome): void;
  failed(error: TypedError): void;
}
