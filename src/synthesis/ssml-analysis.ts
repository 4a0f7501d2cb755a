import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { MAX_PROSODY_RATE, MIN_PROSODY_RATE } from '../speech/ssml';
import { illegalCharacterProblem } from './xml-characters';

/** Azure's per-turn SSML limit, in UTF-8 bytes. */
export const MAX_SSML_BYTES = 64 * 1024;

/**
 * Speaking time the audio estimate assumes per character of text at the normal rate: about 17 characters a
 * second, a brisk neural voice. An estimate to refuse absurd requests up front, not a bound: the stream is
 * stopped at the audio limit anyway.
 */
export const ESTIMATE_MS_PER_CHARACTER = 60;
/** The longest pause a single `<break>` or `<mstts:silence>` produces (the service caps longer ones). */
const MAX_PAUSE_MS = 20_000;

const BREAK_STRENGTH_MS: Record<string, number> = {
  none: 0,
  'x-weak': 250,
  weak: 500,
  medium: 750,
  strong: 1000,
  'x-strong': 1250,
};
const NAMED_RATES: Record<string, number> = {
  'x-slow': 0.5,
  slow: 0.64,
  medium: 1,
  default: 1,
  fast: 1.55,
  'x-fast': 2,
};
/** Elements whose content is not spoken (`<sub alias>` is not either: its alias is). */
const SILENT_ELEMENTS = new Set([
  'bookmark',
  'viseme',
  'audioduration',
  'backgroundaudio',
  'lexicon',
  'meta',
]);

export interface SsmlAnalysis {
  /** Every `<voice name>` in the document. */
  voices: string[];
  /** Estimated length of the audio: text at its prosody rate plus pauses. */
  estimatedMs: number;
}

export type SsmlCheck = { ok: true; analysis: SsmlAnalysis } | { ok: false; reason: string };

function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon >= 0 ? name.slice(colon + 1) : name).toLowerCase();
}

/** `500ms`, `2s`, `1.5s` in ms, capped like the service caps them; null when not a duration. */
function pauseMs(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  if (m === null) return null;
  const n = Number(m[1]);
  return Math.min(MAX_PAUSE_MS, (m[2] ?? 'ms').toLowerCase() === 's' ? n * 1000 : n);
}

/** `x-slow`, `0.5`, `-50%`, `+20%` as a multiplier of the normal rate, clamped; null when unreadable. */
function prosodyRate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim().toLowerCase();
  let rate: number;
  if (text in NAMED_RATES) rate = NAMED_RATES[text];
  else if (/^[+-]?\d+(\.\d+)?%$/.test(text)) rate = 1 + Number(text.slice(0, -1)) / 100;
  else if (/^\d+(\.\d+)?$/.test(text)) rate = Number(text);
  else return null;
  return Math.min(MAX_PROSODY_RATE, Math.max(MIN_PROSODY_RATE, rate));
}

/**
 * Checks client SSML before anything reaches the upstream — at most 64 KiB, only characters XML 1.0 allows,
 * well-formed XML (strict parser), a single `<speak>` root, no DOCTYPE (entity definitions are a classic
 * expansion attack, and the service does not need them), no `<audio>` or `<mstts:backgroundaudio>` (the service
 * would fetch a URL of the client's choosing) — and estimates how long its audio would be.
 */
export function analyzeSsml(ssml: string): SsmlCheck {
  const bytes = Buffer.byteLength(ssml, 'utf8');
  if (bytes > MAX_SSML_BYTES) {
    return { ok: false, reason: `ssml is ${bytes} bytes; the limit is ${MAX_SSML_BYTES}` };
  }
  const illegal = illegalCharacterProblem('ssml', ssml);
  if (illegal !== null) return { ok: false, reason: illegal };

  const parser = new SaxesParser({ xmlns: false, position: false });
  const voices: string[] = [];
  const rates: number[] = [1];
  const rateOpened: boolean[] = [];
  // Set by the parser's callbacks (a plain `= null` would leave it narrowed to null below).
  let root = null as string | null;
  let problem: string | null = null;
  let silentDepth = 0;
  let textMs = 0;
  let pausesMs = 0;

  parser.on('opentag', (tag: SaxesTagPlain) => {
    root ??= tag.name;
    const name = localName(tag.name);
    const attributes = tag.attributes as Record<string, string>;
    if (name === 'audio' || name === 'backgroundaudio') {
      // The service would fetch the URL itself and play it for as long as it lasts: neither is ours to allow.
      problem ??= `ssml must not contain <${tag.name}>: audio from a URL is not supported`;
    }
    const alias = name === 'sub' ? attributes['alias'] : undefined;
    // `<sub alias>` speaks its alias instead of its content.
    if (alias !== undefined && silentDepth === 0) onText(alias);
    if (silentDepth > 0 || SILENT_ELEMENTS.has(name) || alias !== undefined) silentDepth++;
    if (name === 'voice' && attributes['name'] !== undefined) voices.push(attributes['name']);
    if (name === 'break') {
      pausesMs += pauseMs(attributes['time']) ?? BREAK_STRENGTH_MS[attributes['strength'] ?? 'medium'] ?? 750;
    }
    if (name === 'silence') pausesMs += pauseMs(attributes['value']) ?? 0;
    const rate = name === 'prosody' ? prosodyRate(attributes['rate']) : null;
    rateOpened.push(rate !== null);
    if (rate !== null) rates.push(rate);
  });
  function onText(text: string): void {
    if (silentDepth > 0) return;
    const spoken = text.replace(/\s+/g, ' ').trim().length;
    textMs += (spoken * ESTIMATE_MS_PER_CHARACTER) / rates[rates.length - 1];
  }
  parser.on('closetag', () => {
    if (silentDepth > 0) silentDepth--;
    if (rateOpened.pop() === true) rates.pop();
  });
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', () => {
    problem ??= 'ssml must not contain a DOCTYPE';
  });
  parser.on('error', (error) => {
    // saxes reports and then continues; keep the first error, which is the meaningful one.
    problem ??= `ssml is not well-formed XML: ${error.message}`;
  });
  try {
    parser.write(ssml).close();
  } catch (error) {
    problem ??= `ssml is not well-formed XML: ${(error as Error).message}`;
  }
  if (problem !== null) return { ok: false, reason: problem };
  if (root === null) return { ok: false, reason: 'ssml has no root element' };
  if (root !== 'speak') return { ok: false, reason: `ssml root element must be <speak>, not <${root}>` };
  return { ok: true, analysis: { voices, estimatedMs: Math.round(textMs + pausesMs) } };
}

/** The estimated audio length of plain text spoken at `rate` times the normal rate. */
export function estimateTextMs(text: string, rate = 1): number {
  return Math.round((text.replace(/\s+/g, ' ').trim().length * ESTIMATE_MS_PER_CHARACTER) / rate);
}
