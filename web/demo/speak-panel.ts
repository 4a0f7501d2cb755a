import type { SpeechStream, SynthesisResult, VoiceClient } from '../../src/client';
import type { TtsWord } from '../../src/protocol';
import { byTestId } from '../shared/dom';
import { formatMs } from '../shared/format';
import { showError, toTypedError } from '../shared/typed-error';
import { Captions } from './captions';
import type { HistoryTable } from './history-table';
import type { PcmStreamPlayer } from './pcm-stream-player';
import { nextRequestId } from './request-id';
import type { VoicePicker } from './voice-picker';
import { feedWords } from './word-feeder';

/** Played and requested: 24 kHz is the best rate the voice API streams as raw PCM. */
export const TTS_FORMAT = 'pcm-24k';
export const TTS_RATE = 24_000;
/** A whole answer may take a while (5,000 characters is minutes of audio); this only bounds a lost ack. */
const SPEAK_TIMEOUT_MS = 300_000;

/** What the request being spoken can be stopped with. */
interface Speaking {
  requestId: string;
  /** Stops feeding a stream's words. */
  feeding: AbortController;
  stream: SpeechStream | null;
}

/**
 * The Speak card: a request spoken whole (`tts.synthesize`) or, in stream mode, fed word by word at the chosen rate
 * (`tts.stream.*`, as a language model would), audio played as it arrives, captions that follow the words as they
 * are heard, and Stop, which tells the server how much was really played and shows what was heard.
 */
export class SpeakPanel {
  private readonly ui = {
    error: byTestId('error'),
    text: byTestId<HTMLTextAreaElement>('text'),
    speak: byTestId<HTMLButtonElement>('speak'),
    stop: byTestId<HTMLButtonElement>('stop'),
    stream: byTestId<HTMLInputElement>('stream'),
    streamRate: byTestId<HTMLInputElement>('stream-rate'),
    charCount: byTestId('char-count'),
    tier: byTestId('tier'),
    firstByte: byTestId('first-byte-ms'),
    total: byTestId('total-ms'),
    captions: byTestId('captions'),
    heard: byTestId('heard'),
  };
  private readonly captions = new Captions(this.ui.captions);
  /** For the page's test hook: how far the text had been fed when the current request's first audio arrived. */
  readonly streamStats = { piecesWritten: 0, piecesAtFirstAudio: -1 };
  private speaking: Speaking | null = null;
  private frame = 0;

  constructor(
    private readonly client: VoiceClient,
    private readonly player: PcmStreamPlayer,
    private readonly history: HistoryTable,
    private readonly voices: VoicePicker,
  ) {
    const { ui } = this;
    ui.speak.addEventListener('click', () => void this.speak());
    ui.stop.addEventListener('click', () => void this.stop());
    ui.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void this.speak();
    });
    const updateCount = (): void => {
      ui.charCount.textContent = `${ui.text.value.length} / ${ui.text.maxLength}`;
    };
    ui.text.addEventListener('input', updateCount);
    updateCount();
  }

  async speak(): Promise<void> {
    const { ui, player, client } = this;
    const text = ui.text.value.trim();
    if (text === '') {
      showError(ui.error, { code: 'BAD_REQUEST', message: 'type some text to speak' });
      return;
    }
    if (client.state !== 'connected') {
      showError(ui.error, { code: 'NOT_CONNECTED', message: 'the voice session is not connected yet' });
      return;
    }
    showError(ui.error, null);
    player.unlock();
    player.begin();
    this.captions.begin();
    ui.heard.textContent = '';
    delete ui.heard.dataset.playedMs;
    const stats = this.streamStats;
    stats.piecesWritten = 0;
    stats.piecesAtFirstAudio = -1;
    const requestId = nextRequestId('tts');
    const voice = this.voices.value;
    const row = this.history.add(text, voice);
    const speaking: Speaking = { requestId, feeding: new AbortController(), stream: null };
    this.speaking = speaking;
    ui.speak.disabled = true;
    ui.stop.disabled = false;
    this.showResult('…', null, null);
    this.followPlayback();
    const handlers = {
      timeoutMs: SPEAK_TIMEOUT_MS,
      onAudio: (chunk: { audio: Uint8Array }) => {
        if (this.speaking !== speaking) return;
        if (stats.piecesAtFirstAudio < 0) stats.piecesAtFirstAudio = stats.piecesWritten;
        player.push(chunk.audio);
      },
      onWord: (word: TtsWord) => {
        if (this.speaking === speaking) this.captions.add(word);
      },
    };
    const start = { format: TTS_FORMAT, requestId, words: true, ...(voice === '' ? {} : { voice }) } as const;
    try {
      let ack: SynthesisResult;
      if (ui.stream.checked) {
        const stream = client.streamSpeech(start, handlers);
        speaking.stream = stream;
        const rate = Math.min(50, Math.max(1, Number(ui.streamRate.value) || 6));
        const write = (piece: string): void => {
          stats.piecesWritten++;
          stream.write(piece);
        };
        await feedWords(text, rate, write, speaking.feeding.signal);
        ack = await stream.end();
      } else {
        ack = await client.synthesize({ ...start, text }, handlers);
      }
      const tier = ack.tier ?? 'canceled';
      this.showResult(tier, ack.firstByteMs, ack.totalMs);
      row.done({ tier, firstByteMs: ack.firstByteMs ?? 0, totalMs: ack.totalMs, bytes: ack.bytes });
    } catch (error) {
      const typed = toTypedError(error);
      showError(ui.error, typed, 'Speak');
      this.showResult('—', null, null);
      row.failed(typed);
    } finally {
      speaking.feeding.abort();
      ui.speak.disabled = false;
      ui.stop.disabled = !player.playing;
    }
  }

  /**
   * Stop: the audio stops where it is, and the server is told how much of it was really played (the audio clock's
   * position, not what arrived), so its answer is what the listener heard.
   */
  async stop(): Promise<void> {
    const speaking = this.speaking;
    const playedMs = Math.round(this.player.playedMs());
    this.player.stop();
    this.captions.finish();
    this.ui.stop.disabled = true;
    if (speaking === null) return;
    speaking.feeding.abort();
    try {
      const { spokenText } = await this.client.cancel(speaking.requestId, { playedMs });
      this.ui.heard.textContent = spokenText === '' ? '(nothing yet)' : spokenText;
      this.ui.heard.dataset.playedMs = String(playedMs);
    } catch (error) {
      showError(this.ui.error, toTypedError(error), 'Stop');
    }
  }

  /** Moves the captions with the audio clock, every frame, while something plays. */
  private followPlayback(): void {
    cancelAnimationFrame(this.frame);
    const step = (): void => {
      if (this.speaking === null) return;
      this.captions.show(this.player.playedMs());
      const done = !this.player.playing && this.ui.speak.disabled === false;
      if (done) {
        this.captions.finish();
        this.ui.stop.disabled = true;
        return;
      }
      this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private showResult(tier: string, firstByteMs: number | null, totalMs: number | null): void {
    const { ui } = this;
    ui.tier.textContent = tier;
    ui.tier.dataset.tier = tier;
    ui.firstByte.textContent = firstByteMs === null ? '—' : formatMs(firstByteMs);
    ui.total.textContent = totalMs === null ? '—' : formatMs(totalMs);
  }
}
