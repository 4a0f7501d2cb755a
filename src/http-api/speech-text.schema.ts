import { z } from 'zod';

/** The most characters of plain text one request may ask to have spoken (SSML has its own 64 KiB bound). */
export const MAX_TEXT_CHARS = 5_000;

/** Plain text to speak: not blank, at most MAX_TEXT_CHARS. Characters XML forbids are refused by prepareSsml. */
export const speechTextSchema = z
  .string()
  .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`)
  .refine((text) => text.trim().length > 0, 'must not be empty');

/** Voice names like `en-US-JennyNeural` or `en-US-Andrew:DragonHDLatestNeural`. */
export const voiceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9:_.-]{0,99}$/, 'must be a voice name such as en-US-JennyNeural');
