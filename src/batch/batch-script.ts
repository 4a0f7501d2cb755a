import { MAX_TEXT_CHARS } from '../http-api/speech-text.schema';

/** The HTTP API's text limit: longer lines are reported, not sent. */
export { MAX_TEXT_CHARS };

/** One utterance to voice: its id names the output file. */
export interface BatchItem {
  id: string;
  text: string;
  voice?: string;
}

/** A script line that cannot be voiced, reported in the summary instead of stopping the run. */
export interface ScriptProblem {
  id: string;
  reason: string;
}

export interface BatchScript {
  items: BatchItem[];
  problems: ScriptProblem[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class ScriptError extends Error {}

/**
 * Reads a script: JSON Lines when the file is named *.jsonl or its first non-blank line starts with `{`, else
 * plain text with one utterance per paragraph (blank lines separate paragraphs; line breaks inside one are
 * spaces). Paragraphs are numbered from 0001. A malformed JSON line stops the run (the file is not what the
 * user thinks it is); an unusable item (too long, bad id) is reported and skipped.
 */
export function parseBatchScript(content: string, fileName: string): BatchScript {
  const firstLine = content.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const jsonl = fileName.toLowerCase().endsWith('.jsonl') || firstLine.trimStart().startsWith('{');
  const raw = jsonl ? parseJsonl(content) : parseParagraphs(content);
  const items: BatchItem[] = [];
  const problems: ScriptProblem[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    if (seen.has(item.id)) throw new ScriptError(`the id "${item.id}" appears more than once`);
    seen.add(item.id);
    if (item.text.length > MAX_TEXT_CHARS) {
      problems.push({
        id: item.id,
        reason: `text is ${item.text.length} characters; the limit is ${MAX_TEXT_CHARS}`,
      });
    } else {
      items.push(item);
    }
  }
  return { items, problems };
}

function parseParagraphs(content: string): BatchItem[] {
  const paragraphs = content
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph.length > 0);
  const width = Math.max(4, String(paragraphs.length).length);
  return paragraphs.map((text, index) => ({ id: String(index + 1).padStart(width, '0'), text }));
}

function parseJsonl(content: string): BatchItem[] {
  const items: BatchItem[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ScriptError(`${where} is not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ScriptError(`${where} must be an object {"id", "text", "voice"?}`);
    }
    const { id, text, voice } = value as Record<string, unknown>;
    const name = typeof id === 'number' && Number.isInteger(id) ? String(id) : id;
    if (typeof name !== 'string' || !ID_PATTERN.test(name)) {
      throw new ScriptError(
        `${where}: "id" must be letters, digits, ".", "_" or "-" (at most 128, not starting with a dot or dash)`,
      );
    }
    if (typeof text !== 'string' || text.trim() === '')
      throw new ScriptError(`${where}: "text" must be a non-empty string`);
    if (voice !== undefined && typeof voice !== 'string')
      throw new ScriptError(`${where}: "voice" must be a string`);
    items.push(voice === undefined ? { id: name, text } : { id: name, text, voice });
  });
  return items;
}
