import type { ErrorBody } from '../synthesis/error-body';

/** Where a recognition's results go (a Socket.IO connection, an HTTP response). */
export interface SttResultSink {
  partial(result: { requestId: string; text: string; offsetMs: number }): void;
  final(result: { requestId: string; text: string; offsetMs: number; durationMs: number }): void;
  error(error: ErrorBody & { requestId: string }): void;
}
