import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as written in a manifest. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources?: string[];
  configMapGenerator?: Array<{ name: string; envs?: string[]; literals?: string[] }>;
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

/**
 * The objects a kustomize base produces, for the features the base uses (`resources` files and a
 * `configMapGenerator` from env files or literals). Anything else in the kustomization is an error here, so this
 * reader cannot silently disagree with kustomize about a feature it does not know.
 */
export function loadKustomizeBase(dir: string): KustomizeBase {
  const [kustomization] = readYamlDocuments(join(dir, 'kustomization.yaml')) as [Kustomization];
  const known = new Set(['apiVersion', 'kind', 'resources', 'configMapGenerator']);
  const unknown = Object.keys(kustomization).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`kustomization fields this reader does not apply: ${unknown}`);
  const files: string[] = [];
  const objects: Manifest[] = [];
  for (const resource of kustomization.resources ?? []) {
    files.push(resource);
    objects.push(...(readYamlDocuments(join(dir, resource)) as Manifest[]));
  }
  for (const generator of kustomization.configMapGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const envFile of generator.envs ?? []) {
      files.push(envFile);
      Object.assign(data, parseEnvFile(readFileSync(join(dir, envFile), 'utf8')));
    }
    Object.assign(data, parseEnvFile((generator.literals ?? []).join('\n')));
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
  }
  return { kustomization, files, objects };
}
