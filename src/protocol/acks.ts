import { z } from 'zod';
import { errorBodySchema } from './error-codes';

/** Where the client that served a request came from: the session's own, pre-connected, or created for it. */
export const TIERS = ['dedicated', 'warm', 'cold'] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

/** `{ ok: false, error }`: the answer to every request that failed, whatever failed. */
export const failedAckSchema = z.object({ ok: z.literal(false), error: errorBodySchema });
export type FailedAck = z.infer<typeof failedAckSchema>;

/** A completed synthesis, after its last `tts.audio` chunk; times in ms from the start of serving the request. */
export const synthesisDoneAckSchema = z.object({
  ok: z.literal(true),
  requestId: z.string(),
  tier: tierSchema,
  /** null only if the upstream produced no audio at all. */
  firstByteMs: z.number().nullable(),
  totalMs: z.number(),
  bytes: z.number().int().nonnegative(),
});
export type SynthesisDoneAck = z.infer<typeof synthesisDoneAckSchema>;

/**
 * A synthesis ended by `tts.cancel`: `ok` (the client asked for it), with what was done until then. `tier` is null
 * when it was canceled before a client was allocated; `bytes` is the audio already sent as `tts.audio`.
 */
export const synthesisCanceledAckSchema = z.object({
  ok: z.literal(true),
  requestId: z.string(),
  canceled: z.literal(true),
  tier: tierSchema.nullable(),
  firstByteMs: z.number().nullable(),
  totalMs: z.number(),
  bytes: z.number().int().nonnegative(),
});
export type SynthesisCanceledAck = z.infer<typeof synthesisCanceledAckSchema>;

/** The answer to `tts.synthesize`. */
export const synthesisAckSchema = z.union([
  synthesisCanceledAckSchema,
  synthesisDoneAckSchema,
  failedAckSchema,
]);
export type SynthesisAck = z.infer<typeof synthesisAckSchema>;

/**
 * The answer to `tts.cancel` (idempotent: an unknown or finished id is fine). `sentMs`: the request's audio sent
 * before the cancel took effect; `spokenText`: its words that start before `playedMs` (or `sentMs`), joined by
 * single spaces — what a listener heard. An id the session does not know (any more) has 0 and ''.
 */
export const cancelDoneAckSchema = z.object({
  ok: z.literal(true),
  sentMs: z.number().nonnegative(),
  spokenText: z.string(),
});
export type CancelDoneAck = z.infer<typeof cancelDoneAckSchema>;
export const cancelAckSchema = z.union([cancelDoneAckSchema, failedAckSchema]);
export type CancelAck = z.infer<typeof cancelAckSchema>;

/** The answer to `tts.stream.start`, once a synthesizer is reserved for the stream. */
export const streamStartedAckSchema = z.object({
  ok: z.literal(true),
  requestId: z.string(),
  tier: tierSchema,
});
export type StreamStartedAck = z.infer<typeof streamStartedAckSchema>;
/** A stream canceled or failed before it had a synthesizer is answered with the synthesis ack it ended with. */
export const streamStartAckSchema = z.union([
  streamStartedAckSchema,
  synthesisCanceledAckSchema,
  failedAckSchema,
]);
export type StreamStartAck = z.infer<typeof streamStartAckSchema>;

/** The answer to `stt.start`, once a recognizer runs. */
export const sttStartedAckSchema = z.object({ ok: z.literal(true), requestId: z.string(), tier: tierSchema });
export type SttStartedAck = z.infer<typeof sttStartedAckSchema>;
export const sttStartAckSchema = z.union([sttStartedAckSchema, failedAckSchema]);
export type SttStartAck = z.infer<typeof sttStartAckSchema>;

/** The answer to `stt.stop`, once the last `stt.final` was sent; `finals` counts them. */
export const sttStoppedAckSchema = z.object({ ok: z.literal(true), finals: z.number().int().nonnegative() });
export type SttStoppedAck = z.infer<typeof sttStoppedAckSchema>;
export const sttStopAckSchema = z.union([sttStoppedAckSchema, failedAckSchema]);
export type SttStopAck = z.infer<typeof sttStopAckSchema>;
