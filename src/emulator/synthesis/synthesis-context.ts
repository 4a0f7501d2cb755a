/** What a synthesis turn's `synthesis.context` asked for. */
export interface SynthesisRequestContext {
  outputFormat: string | undefined;
  wordBoundaries: boolean;
}

/** `{"action":"stop"}`, the body of the SDK's stop message. */
export function isStopAction(body: string): boolean {
  try {
    return (JSON.parse(body) as { action?: unknown }).action === 'stop';
  } catch {
    return false;
  }
}

/** Reads what the emulator uses from a `synthesis.context` body; tolerant of missing sections. */
export function readSynthesisContext(body: string): SynthesisRequestContext {
  const json = JSON.parse(body) as {
    synthesis?: { audio?: { outputFormat?: unknown; metadataOptions?: { wordBoundaryEnabled?: unknown } } };
  };
  const audio = json.synthesis?.audio;
  const format = audio?.outputFormat;
  const wordBoundary = audio?.metadataOptions?.wordBoundaryEnabled;
  return {
    outputFormat: typeof format === 'string' ? format : undefined,
    // The SDK sends a boolean or its string form; absent means the client did not say, so send them.
    wordBoundaries: wordBoundary === undefined || wordBoundary === true || wordBoundary === 'true',
  };
}
