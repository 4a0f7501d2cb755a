import { z } from 'zod';

/**
 * Recognition options (`stt.start`, and `POST /api/v1/stt` as query parameters). Every one is optional; the bounds
 * are the service's: at most 4 language candidates, a phrase list of at most 500 phrases of at most 100
 * characters, segmentation silence 100-5,000 ms.
 */
export const RECOGNITION_LIMITS = {
  languages: { min: 2, max: 4 },
  phrases: { max: 500, maxLength: 100 },
  endSilenceMs: { min: 100, max: 5_000 },
  initialSilenceMs: { min: 100, max: 60_000 },
} as const;

/** How profanity appears in results: masked with `*` (the service's default), removed, or as spoken. */
export const PROFANITY_OPTIONS = ['masked', 'removed', 'raw'] as const;
export type ProfanityOption = (typeof PROFANITY_OPTIONS)[number];

/** BCP-47-ish: `en-US`, `zh-Hans-CN`, `de`. */
export const languageSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'must be a language tag such as en-US');

const { languages, phrases, endSilenceMs, initialSilenceMs } = RECOGNITION_LIMITS;

const milliseconds = ({ min, max }: { min: number; max: number }) =>
  z
    .number()
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min} ms`)
    .max(max, `must be at most ${max} ms`);

/** The option fields, to spread into a payload's object schema. */
export const recognitionOptionsShape = {
  /** 2-4 candidate languages: the language is identified as the audio goes, and every final says which it was. */
  languages: z
    .array(languageSchema)
    .min(languages.min, `must list ${languages.min} to ${languages.max} languages`)
    .max(languages.max, `must list ${languages.min} to ${languages.max} languages`)
    .refine(
      (list) => new Set(list.map((l) => l.toLowerCase())).size === list.length,
      'must not repeat a language',
    )
    .optional(),
  /** A phrase list: names and product words the recognizer should prefer. */
  phrases: z
    .array(
      z
        .string()
        .max(phrases.maxLength, `must be at most ${phrases.maxLength} characters`)
        .refine((p) => p.trim() !== '', 'must not be empty'),
    )
    .max(phrases.max, `must list at most ${phrases.max} phrases`)
    .optional(),
  /** Silence that ends a phrase (the service's default is 500 ms): lower answers sooner, but cuts pauses. */
  endSilenceMs: milliseconds(endSilenceMs).optional(),
  /** Silence at the start after which the recognizer gives up on the turn (a final-less NoMatch). */
  initialSilenceMs: milliseconds(initialSilenceMs).optional(),
  profanity: z.enum(PROFANITY_OPTIONS).optional(),
  /** Word timings in every `stt.final` (`words`). */
  words: z.boolean().optional(),
};

export const recognitionOptionsSchema = z.strictObject(recognitionOptionsShape);
export type RecognitionOptions = z.infer<typeof recognitionOptionsSchema>;
