import { hashString } from '../audio/deterministic-random';
import { splitSentences } from './sentence-splitter';
import { assembleSpeech, AssemblyPart } from './speech-assembler';
import { SsmlSegment } from './ssml-parser';
import { RenderedSpeech, RenderRequest, SpeechUnit, SpeechVoice } from './speech-voice';

/** What a turn speaks, in order: units of text (rendered one at a time) and pauses. */
export type PlanPart = { kind: 'unit'; unit: SpeechUnit } | { kind: 'silence'; ms: number };

/** The context of the first unit of a turn. */
export const FIRST_CONTEXT = 0;

/** The context after `context` said `text`: a hash of everything said so far in the turn. */
export function nextContext(context: number, text: string): number {
  return hashString(`${context}|${text}`);
}

/** SSML segments as units (each text segment cut into sentences) and pauses. */
export function planSpeech(
  segments: SsmlSegment[],
  defaultVoice: string | undefined,
  defaultLang: string | undefined,
): PlanPart[] {
  const parts: PlanPart[] = [];
  for (const segment of segments) {
    if (segment.kind === 'break') {
      parts.push({ kind: 'silence', ms: segment.ms });
      continue;
    }
    const voice = segment.voice ?? defaultVoice;
    const lang = segment.lang ?? defaultLang;
    for (const text of splitSentences(segment.text))
      parts.push({ kind: 'unit', unit: { text, voice, lang } });
  }
  return parts;
}

/** Renders a whole document unit by unit and assembles it, as a turn streams it (same samples, same words). */
export async function renderDocument(voice: SpeechVoice, request: RenderRequest): Promise<RenderedSpeech> {
  const parts: AssemblyPart[] = [];
  let context = FIRST_CONTEXT;
  for (const part of planSpeech(request.segments, request.defaultVoice, request.defaultLang)) {
    if (part.kind === 'silence') {
      parts.push(part);
      continue;
    }
    parts.push({ kind: 'speech', segment: await voice.renderUnit(part.unit, request.sampleRate, context) });
    context = nextContext(context, part.unit.text);
  }
  // A turn with nothing to say sends no audio at all, not even the voice's lead and tail.
  if (parts.length === 0) return assembleSpeech(parts, request.sampleRate, 0, 0);
  return assembleSpeech(parts, request.sampleRate, voice.leadMs, voice.tailMs);
}
