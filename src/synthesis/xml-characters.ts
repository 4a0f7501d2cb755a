/**
 * Characters XML 1.0 does not allow anywhere in a document, escaped or not: C0 controls other than tab, line feed
 * and carriage return, lone surrogates, U+FFFE and U+FFFF. SSML containing one is not well-formed, and the
 * upstream answers it by closing the connection.
 */
const ILLEGAL_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface IllegalCharacter {
  /** UTF-16 index in the string. */
  index: number;
  /** `U+0000` */
  codePoint: string;
}

export function findIllegalXmlCharacter(text: string): IllegalCharacter | null {
  const match = ILLEGAL_XML_CHARACTER.exec(text);
  if (match === null) return null;
  const code = match[0].codePointAt(0) ?? 0;
  return { index: match.index, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
}

/** `text contains U+0000 at index 2, which XML 1.0 does not allow`, or null when every character is fine. */
export function illegalCharacterProblem(field: string, text: string): string | null {
  const found = findIllegalXmlCharacter(text);
  if (found === null) return null;
  return (
    `${field} contains ${found.codePoint} at index ${found.index}, a character XML 1.0 does not allow ` +
    '(control characters other than tab and line breaks, lone surrogates, U+FFFE, U+FFFF)'
  );
}
