import { AsyncSemaphore } from './async-semaphore';
import { hashString } from '../audio/deterministic-random';
import { EspeakInstallation, speakToWav } from './espeak-process';
import { LruCache } from './lru-cache';
import { resamplePcm16 } from '../audio/pcm-resampler';
import { renderDocument } from './speech-plan';
import {
  RenderedSegment,
  RenderedSpeech,
  RenderRequest,
  SpeechUnit,
  SpeechVoice,
  TimedWord,
} from './speech-voice';
import { parseWavHeader, pcm16FromBytes } from '../audio/wav-header';
import { tokenizeWords } from './word-tokenizer';

/** espeak-ng's own output rate. */
const ESPEAK_RATE = 22050;
const WORDS_PER_MINUTE = 160;
/** So different Azure voice names sound different; all four ship with espeak-ng. */
const VARIANTS = ['m3', 'f3', 'm1', 'f1'];

export interface EspeakVoiceOptions {
  /** Concurrent espeak-ng processes at most (load tests must not fork one per request). */
  maxProcesses?: number;
}

/**
 * Speaks text with espeak-ng so a person hears the words, resampled to the requested rate, one unit (sentence) per
 * process so that a long text starts streaming after its first sentence. Output is cached per (voice, text) and
 * per rate in bounded LRUs, identical concurrent requests share one process, and processes are bounded. Word timings are estimated from the audio's energy (espeak does not report them).
 */
export class EspeakVoice implements SpeechVoice {
  readonly kind = 'espeak' as const;
  /** espeak-ng's own output starts and ends with a little silence already. */
  readonly leadMs = 0;
  readonly tailMs = 0;
  private readonly processes: AsyncSemaphore;
  private readonly raw = new LruCache<string, Int16Array>(128, 4_000_000, (s) => s.length);
  private readonly inFlight = new Map<string, Promise<Int16Array>>();
  private readonly rendered = new LruCache<string, RenderedSegment>(256, 8_000_000, (s) => s.samples.length);

  constructor(
    private readonly installation: EspeakInstallation,
    options: EspeakVoiceOptions = {},
  ) {
    this.processes = new AsyncSemaphore(options.maxProcesses ?? 4);
  }

  render(request: RenderRequest): Promise<RenderedSpeech> {
    return renderDocument(this, request);
  }

  /** The context does not matter: espeak's audio depends on the voice and the text alone. */
  renderUnit(unit: SpeechUnit, rate: number): Promise<RenderedSegment> {
    return this.renderText(this.espeakVoiceFor(unit.voice, unit.lang), unit.text, rate);
  }

  /** `en-US-JennyNeural` -> `en-us+f3` (language from the name or xml:lang, variant from the name). */
  espeakVoiceFor(azureVoice: string | undefined, lang: string | undefined): string {
    const fromName = azureVoice ? /^([a-z]{2,3})-([a-z0-9]{2,4})/i.exec(azureVoice) : null;
    const locale = (fromName ? `${fromName[1]}-${fromName[2]}` : (lang ?? 'en-US')).toLowerCase();
    const languages = this.installation.languages;
    const base = locale.split('-')[0];
    const language = languages.has(locale)
      ? locale
      : languages.has(base)
        ? base
        : languages.has('en-us')
          ? 'en-us'
          : 'en';
    const variant = VARIANTS[hashString((azureVoice ?? '').toLowerCase()) % VARIANTS.length];
    return `${language}+${variant}`;
  }

  private async renderText(voice: string, text: string, rate: number): Promise<RenderedSegment> {
    const key = `${rate}|${voice}|${text}`;
    const cached = this.rendered.get(key);
    if (cached) return cached;
    const raw = await this.speak(voice, text);
    const samples = resamplePcm16(raw, ESPEAK_RATE, rate);
    const segment: RenderedSegment = { samples, text, words: estimateWordTimings(text, samples, rate) };
    this.rendered.set(key, segment);
    return segment;
  }

  private speak(voice: string, text: string): Promise<Int16Array> {
    const key = `${voice}|${text}`;
    const cached = this.raw.get(key);
    if (cached) return Promise.resolve(cached);
    const running = this.inFlight.get(key);
    if (running) return running;
    // "[[" switches espeak to phoneme input; nobody typing text means that.
    const safeText = text.replace(/\[\[/g, '[ [');
    const task = this.processes
      .run(() => speakToWav(this.installation.binary, voice, WORDS_PER_MINUTE, safeText))
      .then((wav) => {
        const format = parseWavHeader(wav);
        // espeak streams to stdout, so the header's sizes are placeholders: the samples run to the end.
        const samples = pcm16FromBytes(wav, format.dataOffset);
        if (format.sampleRate !== ESPEAK_RATE) return resamplePcm16(samples, format.sampleRate, ESPEAK_RATE);
        return samples;
      })
      .then((samples) => {
        this.raw.set(key, samples);
        return samples;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, task);
    return task;
  }
}

/**
 * espeak reports no word timings, so they are estimated: when the voiced islands of the audio (separated by
 * 40 ms or more of quiet) are as many as the words, each word is an island; otherwise the voiced span is
 * shared out in proportion to word lengths.
 */
export function estimateWordTimings(text: string, samples: Int16Array, rate: number): TimedWord[] {
  const words = tokenizeWords(text);
  if (words.length === 0) return [];
  const frame = Math.max(1, Math.round(rate / 100));
  const voiced: boolean[] = [];
  for (let start = 0; start < samples.length; start += frame) {
    const end = Math.min(samples.length, start + frame);
    let energy = 0;
    for (let i = start; i < end; i++) energy += samples[i] * samples[i];
    const db = 10 * Math.log10(energy / (end - start) / (32768 * 32768) + 1e-12);
    voiced.push(db > -45);
  }
  const islands: Array<[number, number]> = [];
  let quiet = Infinity;
  voiced.forEach((v, i) => {
    if (v) {
      if (quiet >= 4 || islands.length === 0) islands.push([i, i + 1]);
      else islands[islands.length - 1][1] = i + 1;
      quiet = 0;
    } else quiet++;
  });
  const toSample = (f: number): number => Math.min(samples.length, f * frame);
  if (islands.length === words.length) {
    return words.map((w, i) => ({
      ...w,
      startSample: toSample(islands[i][0]),
      endSample: toSample(islands[i][1]),
    }));
  }
  const spanStart = islands.length > 0 ? toSample(islands[0][0]) : 0;
  const spanEnd = islands.length > 0 ? toSample(islands[islands.length - 1][1]) : samples.length;
  const weights = words.map((w) => w.lexical.length + 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return words.map((w, i) => {
    const startSample = spanStart + Math.round(((spanEnd - spanStart) * acc) / totalWeight);
    acc += weights[i];
    const endSample = spanStart + Math.round(((spanEnd - spanStart) * acc) / totalWeight);
    return { ...w, startSample, endSample };
  });
}
