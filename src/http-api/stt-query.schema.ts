import { z } from 'zod';
import { recognitionOptionsShape } from '../protocol/recognition-options';

/** A query parameter given once or repeated (`?phrases=a&phrases=b`), as a list. */
const asList = (value: unknown): unknown => (value === undefined || Array.isArray(value) ? value : [value]);

/** Numbers arrive as text; anything that is not a plain number stays text, so the error names what was sent. */
const asNumber = (value: unknown): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

const asBoolean = (value: unknown): unknown => (value === 'true' ? true : value === 'false' ? false : value);

const { languages, phrases, endSilenceMs, initialSilenceMs, profanity, words } = recognitionOptionsShape;

/**
 * `POST /api/v1/stt`'s query: the recognition options of `stt.start` as parameters. Lists repeat the parameter
 * (`?phrases=Contoso&phrases=Fabrikam`); `languages` also takes a comma-separated list (`?languages=en-US,de-DE`).
 * An unknown parameter is a BAD_REQUEST, so a misspelt option is not silently ignored.
 */
export const sttQuerySchema = z.strictObject({
  /** A locale (en-US) or a language (en), checked by recognitionLanguage. */
  language: z.string().optional(),
  languages: z.preprocess(
    (value) =>
      (asList(value) as unknown[] | undefined)?.flatMap((v) =>
        typeof v === 'string' ? v.split(',').map((part) => part.trim()) : [v],
      ),
    languages,
  ),
  phrases: z.preprocess(asList, phrases),
  endSilenceMs: z.preprocess(asNumber, endSilenceMs),
  initialSilenceMs: z.preprocess(asNumber, initialSilenceMs),
  profanity,
  words: z.preprocess(asBoolean, words),
});
export type SttQuery = z.infer<typeof sttQuerySchema>;
