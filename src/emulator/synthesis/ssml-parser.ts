import { SaxesParser, SaxesTagPlain } from 'saxes';

/** What the voices need from an SSML document: ordered text runs (with their voice) and pauses. */
export interface SsmlTextSegment {
  kind: 'text';
  text: string;
  voice: string | undefined;
  lang: string | undefined;
}

export interface SsmlBreakSegment {
  kind: 'break';
  ms: number;
}

export type SsmlSegment = SsmlTextSegment | SsmlBreakSegment;

export interface ParsedSsml {
  /** `xml:lang` of `<speak>`. */
  lang: string | undefined;
  /** The first `<voice name>` in the document. */
  voice: string | undefined;
  /** Every distinct `<voice name>` in the document, in order of appearance. */
  voiceNames: string[];
  segments: SsmlSegment[];
  /** All spoken text, space-separated: what a recognizer should hear. */
  text: string;
}

export class SsmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SsmlParseError';
  }
}

/** Azure's documented strengths (medium is also the default for a bare `<break/>`). */
const BREAK_STRENGTH_MS: Record<string, number> = {
  none: 0,
  'x-weak': 250,
  weak: 500,
  medium: 750,
  strong: 1000,
  'x-strong': 1250,
};
const MAX_BREAK_MS = 20_000;

/** Elements whose content is not spoken (markers, metadata). */
const SILENT_ELEMENTS = new Set([
  'bookmark',
  'viseme',
  'audioduration',
  'backgroundaudio',
  'silence',
  'lexicon',
  'meta',
]);
/** Elements that separate sentences or paragraphs: their edges are word boundaries. */
const BLOCK_ELEMENTS = new Set(['p', 's', 'voice', 'lang']);

function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon >= 0 ? name.slice(colon + 1) : name).toLowerCase();
}

/** `500ms`, `2s`, `1.5s`; undefined when not a duration. */
export function parseBreakTime(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const ms = (m[2] ?? 'ms').toLowerCase() === 's' ? n * 1000 : n;
  return Math.min(MAX_BREAK_MS, Math.round(ms));
}

function breakMs(attributes: Record<string, string>): number {
  if (attributes['time'] !== undefined) {
    const ms = parseBreakTime(attributes['time']);
    if (ms !== undefined) return ms;
  }
  const strength = attributes['strength']?.toLowerCase();
  if (strength !== undefined && strength in BREAK_STRENGTH_MS) return BREAK_STRENGTH_MS[strength];
  return BREAK_STRENGTH_MS.medium;
}

/**
 * Parses SSML with a strict XML parser. Malformed XML, or a root other than `<speak>`, throws
 * {@link SsmlParseError} (the service answers those with close code 1007).
 */
export function parseSsml(ssml: string): ParsedSsml {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const segments: SsmlSegment[] = [];
  const voices: Array<string | undefined> = [];
  const langs: Array<string | undefined> = [];
  let depth = 0;
  let sawRoot = false;
  let speakLang: string | undefined;
  let firstVoice: string | undefined;
  const voiceNames = new Set<string>();
  let silentDepth = 0; // > 0 while inside an element whose text is not spoken
  let pending = '';

  const currentVoice = (): string | undefined => voices[voices.length - 1];
  const currentLang = (): string | undefined => langs[langs.length - 1];
  const flush = (): void => {
    const text = pending.replace(/\s+/g, ' ').trim();
    pending = '';
    if (text === '') return;
    const last = segments[segments.length - 1];
    if (last?.kind === 'text' && last.voice === currentVoice() && last.lang === currentLang()) {
      last.text = `${last.text} ${text}`;
    } else {
      segments.push({ kind: 'text', text, voice: currentVoice(), lang: currentLang() });
    }
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    if (depth === 0) {
      if (sawRoot) throw new SsmlParseError('SSML has more than one root element');
      if (name !== 'speak') throw new SsmlParseError(`SSML root element must be <speak>, not <${tag.name}>`);
      sawRoot = true;
      speakLang = attrs['xml:lang'];
      langs.push(speakLang);
    }
    depth++;
    if (silentDepth > 0 || SILENT_ELEMENTS.has(name)) {
      silentDepth++;
      return;
    }
    if (BLOCK_ELEMENTS.has(name)) pending += ' ';
    if (name === 'voice') {
      flush();
      const voice = attrs['name'];
      if (firstVoice === undefined && voice) firstVoice = voice;
      if (voice) voiceNames.add(voice);
      voices.push(voice || currentVoice());
    }
    if (name === 'lang' || (name !== 'speak' && attrs['xml:lang'] !== undefined)) {
      flush();
      langs.push(attrs['xml:lang'] ?? currentLang());
    }
    if (name === 'break') {
      flush();
      const ms = breakMs(attrs);
      if (ms > 0) segments.push({ kind: 'break', ms });
    }
    if (name === 'sub' && attrs['alias'] !== undefined) {
      pending += attrs['alias'];
      silentDepth++; // the alias replaces the element's text
    }
  });

  parser.on('closetag', (tag: SaxesTagPlain) => {
    depth--;
    const name = localName(tag.name);
    const wasSilent = silentDepth > 0;
    if (wasSilent) silentDepth--;
    if (wasSilent && !(name === 'sub' && silentDepth === 0)) return;
    if (BLOCK_ELEMENTS.has(name)) pending += ' ';
    if (name === 'voice') {
      flush();
      voices.pop();
    }
    if (
      name === 'lang' ||
      (name !== 'speak' && (tag.attributes as Record<string, string>)['xml:lang'] !== undefined)
    ) {
      flush();
      langs.pop();
    }
  });

  const onText = (text: string): void => {
    if (depth === 0) {
      if (text.trim() !== '') throw new SsmlParseError('Text outside the <speak> element');
      return;
    }
    if (silentDepth === 0) pending += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    parser.write(ssml).close();
  } catch (e) {
    if (e instanceof SsmlParseError) throw e;
    throw new SsmlParseError(`Malformed SSML: ${(e as Error).message}`);
  }
  if (!sawRoot) throw new SsmlParseError('SSML has no <speak> element');
  flush();
  const text = segments
    .filter((s): s is SsmlTextSegment => s.kind === 'text')
    .map((s) => s.text)
    .join(' ');
  return { lang: speakLang, voice: firstVoice, voiceNames: [...voiceNames], segments, text };
}
