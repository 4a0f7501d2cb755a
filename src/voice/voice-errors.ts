import type { FailedAck } from '../protocol/acks';
import { toErrorBody } from '../synthesis/error-body';

/** `{ ok: false, error }`: the answer to every request that failed, whatever failed. */
export function failedAck(error: unknown, onInternal?: (error: unknown) => void): FailedAck {
  return { ok: false, error: toErrorBody(error, onInternal) };
}
