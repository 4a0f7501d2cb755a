/** What the service reports on failure, whichever way it came (ack, `error` event, HTTP problem, handshake). */
export interface TypedError {
  code: string;
  message: string;
}

/** A TypedError to throw: an Error (with a stack) that `isTypedError` and `toTypedError` take as it is. */
export class ServiceError extends Error implements TypedError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  static from(error: TypedError): ServiceError {
    return new ServiceError(error.code, error.message);
  }
}

export function isTypedError(value: unknown): value is TypedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TypedError).code === 'string' &&
    typeof (value as TypedError).message === 'string'
  );
}

/** Anything thrown or rejected, as a TypedError (a refused handshake, a network failure, a bug). */
export function toTypedError(error: unknown, fallbackCode = 'INTERNAL'): TypedError {
  if (isTypedError(error)) return error;
  if (error instanceof Error) {
    const data = (error as Error & { data?: unknown }).data;
    if (isTypedError(data)) return data;
    return { code: fallbackCode, message: error.message };
  }
  return { code: fallbackCode, message: String(error) };
}

/** Shows `CODE: message` in an alert element (code in monospace), or hides it. */
export function showError(target: HTMLElement, error: TypedError | null, context?: string): void {
  target.replaceChildren();
  target.hidden = error === null;
  if (error === null) return;
  const code = document.createElement('code');
  code.textContent = error.code;
  target.append(...(context === undefined ? [] : [`${context}: `]), code, ` ${error.message}`);
}
