import { SaxesParser } from 'saxes';

/** Azure's per-turn SSML limit (CONTRACT §5), in UTF-8 bytes. */
export const MAX_SSML_BYTES = 64 * 1024;

export type SsmlCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks client SSML before anything reaches the upstream: at most 64 KiB, well-formed XML (strict parser), a
 * single `<speak>` root, and no DOCTYPE (entity definitions are a classic expansion attack, and the service does
 * not need them).
 */
export function checkSsml(ssml: string): SsmlCheck {
  const bytes = Buffer.byteLength(ssml, 'utf8');
  if (bytes > MAX_SSML_BYTES) {
    return { ok: false, reason: `ssml is ${bytes} bytes; the limit is ${MAX_SSML_BYTES}` };
  }
  const parser = new SaxesParser({ xmlns: false, position: false });
  let root: string | null = null;
  let problem: string | null = null;
  parser.on('opentag', (tag) => {
    root ??= tag.name;
  });
  parser.on('doctype', () => {
    problem ??= 'ssml must not contain a DOCTYPE';
  });
  parser.on('error', (error) => {
    // saxes reports and then continues; keep the first error, which is the meaningful one.
    problem ??= `ssml is not well-formed XML: ${error.message}`;
  });
  try {
    parser.write(ssml).close();
  } catch (error) {
    problem ??= `ssml is not well-formed XML: ${(error as Error).message}`;
  }
  if (problem !== null) return { ok: false, reason: problem };
  if (root === null) return { ok: false, reason: 'ssml has no root element' };
  if (root !== 'speak') return { ok: false, reason: `ssml root element must be <speak>, not <${root}>` };
  return { ok: true };
}
