import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as written in a manifest. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** One JSON 6902 operation, of the kinds the overlays use. */
type PatchOperation =
  { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

interface Kustomization {
  resources?: string[];
  configMapGenerator?: Array<{
    name: string;
    behavior?: 'create' | 'merge' | 'replace';
    envs?: string[];
    literals?: string[];
  }>;
  patches?: Array<{ target: { kind: string; name: string }; patch: string }>;
  [field: string]: unknown;
}

export interface KustomizeBase {
  kustomization: Kustomization;
  /** Files the kustomization reads (resources and generator inputs), relative to its folder. */
  files: string[];
  /** The resources, then the generated ConfigMaps (under their unhashed names). */
  objects: Manifest[];
}

/** Every YAML document in a file, failing on any YAML error or warning. */
export function readYamlDocuments(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) throw new Error(`${path}: ${problems.map((p) => p.message).join('; ')}`);
    return document.toJS() as unknown;
  });
}

/**
 * kustomize's env-file syntax: one KEY=VALUE per line, `#` lines and blank lines ignored, the value taken
 * verbatim (quotes included) up to the end of the line.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not KEY=VALUE: ${line}`);
    entries[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return entries;
}

/** Applies JSON 6902 operations (add, replace, remove; `-` appends to an array) to an object, in place. */
export function applyJsonPatch(target: Manifest, operations: PatchOperation[]): void {
  for (const operation of operations) {
    const keys = operation.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: unknown = target;
    for (const key of keys) {
      parent = (parent as Record<string, unknown> | undefined)?.[key];
      if (parent === undefined || parent === null) throw new Error(`patch path not found: ${operation.path}`);
    }
    const container = parent as Record<string, unknown> & unknown[];
    const exists = Array.isArray(container) ? Number(last) < container.length : last in container;
    if (operation.op === 'add' && Array.isArray(container)) {
      container.splice(last === '-' ? container.length : Number(last), 0, operation.value);
    } else if (operation.op === 'add') {
      container[last] = operation.value;
    } else if (!exists) {
      throw new Error(`patch path not found: ${operation.path}`);
    } else if (operation.op === 'replace') {
      container[last] = operation.value;
    } else if (Array.isArray(container)) {
      container.splice(Number(last), 1);
    } else {
      delete container[last];
    }
  }
}

/**
 * The objects a kustomization produces, for the features warmline's use (`resources` files and folders, a
 * `configMapGenerator` from env files or literals, creating or merging into a base's ConfigMap, and `patches`
 * given as inline JSON 6902 operations on a target kind and name). Anything else in the kustomization is an
 * error here, so this reader cannot silently disagree with kustomize about a feature it does not know.
 */
export function loadKustomizeBase(dir: string): KustomizeBase {
  const [kustomization] = readYamlDocuments(join(dir, 'kustomization.yaml')) as [Kustomization];
  const known = new Set(['apiVersion', 'kind', 'resources', 'configMapGenerator', 'patches']);
  const unknown = Object.keys(kustomization).filter((key) => !known.has(key));
  if (unknown.length > 0)
    throw new Error(`kustomization fields this reader does not apply: ${unknown.join(', ')}`);
  const files: string[] = [];
  const objects: Manifest[] = [];
  for (const resource of kustomization.resources ?? []) {
    files.push(resource);
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) objects.push(...loadKustomizeBase(path).objects);
    else objects.push(...(readYamlDocuments(path) as Manifest[]));
  }
  for (const generator of kustomization.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const envFile of generator.envs ?? []) {
      files.push(envFile);
      Object.assign(data, parseEnvFile(readFileSync(join(dir, envFile), 'utf8')));
    }
    Object.assign(data, parseEnvFile((generator.literals ?? []).join('\n')));
    const behavior = generator.behavior ?? 'create';
    const existing = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === generator.name);
    if ((behavior === 'create') !== (existing === undefined)) {
      throw new Error(
        `configMapGenerator ${generator.name}: behavior ${behavior} with${existing ? '' : 'out'} a base ConfigMap`,
      );
    }
    if (existing === undefined) {
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
    } else {
      existing.data = behavior === 'merge' ? { ...(existing.data as Record<string, string>), ...data } : data;
    }
  }
  for (const { target, patch } of kustomization.patches ?? []) {
    const matches = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name);
    if (matches.length !== 1)
      throw new Error(`patch target ${target.kind}/${target.name} matches ${matches.length}`);
    applyJsonPatch(matches[0], readYamlText(patch) as PatchOperation[]);
  }
  return { kustomization, files, objects };
}

function readYamlText(text: string): unknown {
  const [document] = parseAllDocuments(text);
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) throw new Error(`inline patch: ${problems.map((p) => p.message).join('; ')}`);
  return document.toJS() as unknown;
}
