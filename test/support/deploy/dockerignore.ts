import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

interface Pattern {
  regex: RegExp;
  exclusion: boolean;
}

/**
 * Docker's .dockerignore rules (the same as moby's patternmatcher): patterns are relative to the context root,
 * `*` and `?` stay inside one path segment, `**` spans any number of segments, a pattern that matches a folder
 * matches everything inside it, `!` re-includes, and the last matching pattern wins.
 */
export class DockerIgnore {
  private readonly patterns: Pattern[];

  constructor(text: string) {
    this.patterns = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const exclusion = line.startsWith('!');
        const body = posix.normalize((exclusion ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, '');
        return { regex: toRegex(body), exclusion };
      });
  }

  static read(path: string): DockerIgnore {
    return new DockerIgnore(readFileSync(path, 'utf8'));
  }

  /** Whether `path` (relative to the context root, `/`-separated) is left out of the build context. */
  ignores(path: string): boolean {
    const parents = posix.dirname(path).split('/');
    let ignored = false;
    for (const pattern of this.patterns) {
      const matches =
        pattern.regex.test(path) ||
        (parents[0] !== '.' && parents.some((_, i) => pattern.regex.test(parents.slice(0, i + 1).join('/'))));
      if (matches) ignored = !pattern.exclusion;
    }
    return ignored;
  }
}

function toRegex(pattern: string): RegExp {
  let regex = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      while (pattern[i + 1] === '*') i++;
      if (pattern[i + 1] === '/') i++;
      regex += i + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (ch === '*') {
      regex += '[^/]*';
    } else if (ch === '?') {
      regex += '[^/]';
    } else if (ch === '\\' && i + 1 < pattern.length) {
      regex += escape(pattern[++i]);
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i);
      regex += end === -1 ? '\\[' : pattern.slice(i, end + 1);
      if (end !== -1) i = end;
    } else {
      regex += escape(ch);
    }
  }
  return new RegExp(`${regex}$`);
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
