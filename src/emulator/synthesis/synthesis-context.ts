/** What the emulator uses from a turn's `synthesis.context` message. */
export interface SynthesisRequestContext {
  outputFormat: string | undefined;
  wordBoundaries: boolean;
  /**
   * Set when the turn's text is streamed in (`text.piece` messages, then `text.end`) instead of sent as one `ssml`
   * message: the SDK's text streaming puts the voice here, since there is no SSML to name it.
   */
  textStream?: { voice: string | undefined; lang: string | undefined };
}

interface SynthesisContextJson {
  synthesis?: {
    audio?: { outputFormat?: unknown; metadataOptions?: { wordBoundaryEnabled?: unknown } };
    input?: { bidirectionalStreamingMode?: unknown; voiceName?: unknown; language?: unknown };
  };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** Reads a `synthesis.context` body, tolerant of missing sections; throws when it is not JSON. */
export function readSynthesisContext(body: string): SynthesisRequestContext {
  const json = JSON.parse(body) as SynthesisContextJson | null;
  const audio = json?.synthesis?.audio;
  const input = json?.synthesis?.input;
  const wordBoundary = audio?.metadataOptions?.wordBoundaryEnabled;
  const streaming = input?.bidirectionalStreamingMode;
  return {
    outputFormat: text(audio?.outputFormat),
    // The SDK sends a boolean or its string form; absent means the client did not say, so send them.
    wordBoundaries: wordBoundary === undefined || wordBoundary === true || wordBoundary === 'true',
    ...(streaming === true || streaming === 'true'
      ? { textStream: { voice: text(input?.voiceName), lang: text(input?.language) } }
      : {}),
  };
}
