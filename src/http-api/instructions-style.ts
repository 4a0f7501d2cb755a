/** The response header that says what became of OpenAI's `instructions`. */
export const INSTRUCTIONS_HEADER = 'X-Warmline-Instructions';

/** Words people write in instructions, and the Azure style each one asks for. */
const SYNONYMS: Readonly<Record<string, string>> = {
  happy: 'cheerful',
  joyful: 'cheerful',
  upbeat: 'cheerful',
  enthusiastic: 'excited',
  whisper: 'whispering',
  whispered: 'whispering',
  shout: 'shouting',
  news: 'newscast',
  newsreader: 'newscast',
  scared: 'terrified',
  afraid: 'terrified',
  unhappy: 'sad',
  warm: 'friendly',
  helpful: 'assistant',
  conversational: 'chat',
  casual: 'chat',
  support: 'customerservice',
  mad: 'angry',
};

export type StyleChoice = { style: string } | { ignored: string };

/**
 * The Azure speaking style `instructions` ask for, among `styles` (the voice's; undefined when the voice list is
 * unknown): the first style named in the text, as written (`cheerful`, `customer service`) or by a common
 * synonym (`happy` → cheerful). Free-form direction beyond that has no SSML equivalent and is ignored, saying so.
 */
export function styleFor(
  instructions: string,
  voice: string,
  styles: readonly string[] | undefined,
): StyleChoice {
  if (styles === undefined) return { ignored: `the speaking styles of ${voice} are unknown` };
  if (styles.length === 0) return { ignored: `${voice} has no speaking styles` };
  const words = instructions.toLowerCase().match(/[a-z]+/g) ?? [];
  let best: { style: string; at: number } | undefined;
  for (const style of styles) {
    const at = positionOf(style.toLowerCase(), words);
    if (at >= 0 && (best === undefined || at < best.at)) best = { style, at };
  }
  if (best !== undefined) return { style: best.style };
  for (const word of words) {
    const style = SYNONYMS[word];
    if (style !== undefined && styles.includes(style)) return { style };
  }
  return { ignored: `no speaking style of ${voice} matches (it has ${styles.join(', ')})` };
}

/** Where `style` is written among `words`: as its parts (`newscast-casual`) or run together over two words. */
function positionOf(style: string, words: readonly string[]): number {
  const parts = style.split(/[^a-z]+/).filter((part) => part.length > 0);
  for (let i = 0; i < words.length; i++) {
    if (parts.every((part, k) => words[i + k] === part)) return i;
    if (parts.length === 1 && i + 1 < words.length && words[i] + words[i + 1] === style) return i;
  }
  return -1;
}
