export type RecognitionMode = 'continuous' | 'single-shot';
export type ProfanityMode = 'masked' | 'removed' | 'raw';

/** How one recognition turn behaves: the connection's URL sets defaults, the turn's `speech.context` overrides. */
export interface RecognitionSettings {
  /** From `speech.context` (`phraseDetection.mode`), else `speech.config` (`recognition`), else the path. */
  mode: RecognitionMode | undefined;
  /** Detailed results (NBest); word timings imply them. */
  detailed: boolean;
  /** Silence that ends a phrase (the segmentation silence timeout), ms. */
  segmentationSilenceMs: number;
  /** Silence at the start of a turn after which it ends with InitialSilenceTimeout, ms; none when undefined. */
  initialSilenceMs: number | undefined;
  profanity: ProfanityMode;
  wordTimings: boolean;
  /** Candidate locales when language identification is on; undefined when it is off. */
  languageCandidates: string[] | undefined;
  /** The phrase list (accepted and counted; it cannot change what the emulator hears). */
  phrases: string[];
}

/** Azure's default segmentation silence, and the range it accepts. */
export const DEFAULT_SEGMENTATION_SILENCE_MS = 500;
const SEGMENTATION_RANGE = [100, 5000] as const;
/** Azure masks profanity unless told otherwise. */
const DEFAULT_PROFANITY: ProfanityMode = 'masked';

/** What a recognition socket's URL says (the SDK puts the recognizer's properties there when it connects). */
export function settingsFromQuery(
  query: URLSearchParams,
  pathMode: RecognitionMode | undefined,
): RecognitionSettings {
  const number = (name: string): number | undefined => {
    const value = Number(query.get(name) ?? NaN);
    return Number.isFinite(value) ? value : undefined;
  };
  return {
    mode: pathMode,
    detailed: (query.get('format') ?? 'simple').toLowerCase() === 'detailed',
    segmentationSilenceMs: segmentation(number('segmentationSilenceTimeoutMs')),
    initialSilenceMs: positive(number('initialSilenceTimeoutMs')),
    profanity: profanityMode(query.get('profanity')) ?? DEFAULT_PROFANITY,
    wordTimings: query.get('wordLevelTimestamps')?.toLowerCase() === 'true',
    languageCandidates: query.get('lidEnabled')?.toLowerCase() === 'true' ? [] : undefined,
    phrases: [],
  };
}

/**
 * Applies a turn's `speech.context` (sent by the SDK before each turn's audio, built from the recognizer's
 * properties at that moment) over the connection's settings. Unknown or malformed parts are ignored.
 */
export function withSpeechContext(base: RecognitionSettings, body: string): RecognitionSettings {
  let context: SpeechContextBody;
  try {
    context = JSON.parse(body) as SpeechContextBody;
  } catch {
    return base;
  }
  if (typeof context !== 'object' || context === null) return base;
  const settings = { ...base };
  const detection = context.phraseDetection;
  if (typeof detection?.mode === 'string') {
    settings.mode = detection.mode.toLowerCase() === 'interactive' ? 'single-shot' : 'continuous';
  }
  const segmentationMs = [detection?.conversation, detection?.interactive, detection?.dictation]
    .map((m) => m?.segmentation?.segmentationSilenceTimeoutMs)
    .find((ms) => typeof ms === 'number');
  if (segmentationMs !== undefined) settings.segmentationSilenceMs = segmentation(segmentationMs);
  if (typeof detection?.initialSilenceTimeout === 'number') {
    settings.initialSilenceMs = positive(detection.initialSilenceTimeout);
  }
  settings.profanity = profanityMode(detection?.enrichment?.profanity) ?? settings.profanity;
  const output = context.phraseOutput;
  if (typeof output?.format === 'string') settings.detailed = output.format.toLowerCase() === 'detailed';
  if (Array.isArray(output?.detailed?.options) && output.detailed.options.includes('WordTimings')) {
    settings.wordTimings = true;
  }
  const languages = context.languageId?.languages;
  if (Array.isArray(languages)) settings.languageCandidates = languages.filter((l) => typeof l === 'string');
  const groups = context.dgi?.groups;
  if (Array.isArray(groups)) {
    settings.phrases = groups.flatMap((g) =>
      Array.isArray(g?.items) ? g.items.map((i) => i?.text).filter((t) => typeof t === 'string') : [],
    );
  }
  if (settings.wordTimings) settings.detailed = true;
  return settings;
}

/** The recognition mode `speech.config` names (`"recognition": "conversation"`), if any. */
export function modeFromSpeechConfig(body: string): RecognitionMode | undefined {
  try {
    const mode = (JSON.parse(body) as { recognition?: unknown } | null)?.recognition;
    if (typeof mode !== 'string') return undefined;
    return mode.toLowerCase() === 'interactive' ? 'single-shot' : 'continuous';
  } catch {
    return undefined;
  }
}

/** The parts of `speech.context` read here, as the SDK writes them (every part optional). */
interface SpeechContextBody {
  phraseDetection?: {
    mode?: unknown;
    initialSilenceTimeout?: unknown;
    conversation?: SegmentationHolder;
    interactive?: SegmentationHolder;
    dictation?: SegmentationHolder;
    enrichment?: { profanity?: unknown };
  };
  phraseOutput?: { format?: unknown; detailed?: { options?: unknown[] } };
  languageId?: { languages?: unknown[] };
  dgi?: { groups?: Array<{ items?: Array<{ text?: unknown }> }> };
}

interface SegmentationHolder {
  segmentation?: { segmentationSilenceTimeoutMs?: unknown };
}

function segmentation(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return DEFAULT_SEGMENTATION_SILENCE_MS;
  return Math.min(SEGMENTATION_RANGE[1], Math.max(SEGMENTATION_RANGE[0], Math.round(ms)));
}

function positive(ms: unknown): number | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

function profanityMode(value: unknown): ProfanityMode | undefined {
  if (typeof value !== 'string') return undefined;
  const mode = value.toLowerCase();
  return mode === 'masked' || mode === 'removed' || mode === 'raw' ? mode : undefined;
}
