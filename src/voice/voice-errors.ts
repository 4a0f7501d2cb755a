import { toErrorBody, type ErrorBody } from '../synthesis/error-body';

export { toErrorBody, type ErrorBody as VoiceErrorBody } from '../synthesis/error-body';

/** `{ ok: false, error }`: the answer to every request that failed, whatever failed. */
export interface FailedAck {
  ok: false;
  error: ErrorBody;
}

export function failedAck(error: unknown, onInternal?: (error: unknown) => void): FailedAck {
  return { ok: false, error: toErrorBody(error, onInternal) };
}
