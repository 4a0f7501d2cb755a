import { readFileSync } from 'node:fs';

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  /** The image or earlier stage it starts from, build arguments substituted. */
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Map<string, string>;
  stages: Stage[];
}

/**
 * Reads a Dockerfile into stages: comments and blank lines dropped, `\` continuations joined, `${ARG}` in FROM
 * replaced by the global ARG's default. Enough for checking what a Dockerfile says without a Docker engine.
 */
export function parseDockerfile(path: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const trimmed = raw.trim();
      if (pending === null && (trimmed === '' || trimmed.startsWith('#'))) return;
      if (pending !== null && trimmed.startsWith('#')) return; // comment lines inside a continuation
      const text: string = pending === null ? trimmed : `${pending.text} ${trimmed}`;
      const line = pending?.line ?? index + 1;
      if (text.endsWith('\\')) {
        pending = { text: text.slice(0, -1).trim(), line };
        return;
      }
      pending = null;
      const match = /^(\S+)\s*(.*)$/.exec(text)!;
      instructions.push({ keyword: match[1].toUpperCase(), args: match[2], line });
    });

  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => {
        const value = globalArgs.get(a ?? b);
        if (value === undefined) throw new Error(`FROM uses ${a ?? b}, which has no global default`);
        return value;
      });
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : null, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name, value = ''] = instruction.args.split('=', 2);
      globalArgs.set(name, value);
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** A JSON-array (exec form) argument list, or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : null;
}

/** HEALTHCHECK's options (`--interval=10s` ...) and its command. */
export function parseHealthcheck(args: string): { options: Map<string, string>; command: string } {
  const options = new Map<string, string>();
  let rest = args;
  for (let match = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest); match; match = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest)) {
    options.set(match[1], match[2]);
    rest = rest.slice(match[0].length);
  }
  if (!rest.startsWith('CMD ')) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  return { options, command: rest.slice(4).trim() };
}
