import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** One relative import: from a file to the file it resolves to, both relative to the repository root. */
export interface ImportEdge {
  from: string;
  /** As written in the source. */
  specifier: string;
  to: string;
}

const SOURCE = /\.(ts|js|cjs|mjs)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.js', '.json', '/index.ts', '/index.js'];

/** Every TypeScript/JavaScript file under `dir` (relative to the repository root), node_modules left out. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(join(REPO_ROOT, path), { withFileTypes: true })) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

function resolveRelative(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    try {
      if (statSync(join(REPO_ROOT, candidate)).isFile())
        return relative('.', candidate).split('\\').join('/');
    } catch {
      // not this one
    }
  }
  throw new Error(`${from}: cannot resolve "${specifier}"`);
}

/**
 * The relative imports of `files`: static imports and re-exports, `import()` and `require()`, type-only ones
 * included (a type import is still a dependency of the code that reads it). Package imports are left out.
 */
export function relativeImports(files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(REPO_ROOT, from), 'utf8');
    for (const { fileName: specifier } of preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      edges.push({ from, specifier, to: resolveRelative(from, specifier) });
    }
  }
  return edges;
}
