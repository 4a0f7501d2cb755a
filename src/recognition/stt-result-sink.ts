import type { ErrorBody, SttFinal, SttPartial } from '../protocol';

/** Where a recognition's results go (a Socket.IO connection, an HTTP response). */
export interface SttResultSink {
  partial(result: SttPartial): void;
  final(result: SttFinal): void;
  error(error: ErrorBody & { requestId: string }): void;
}
