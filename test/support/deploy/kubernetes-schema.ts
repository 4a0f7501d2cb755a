import * as models from 'kubernetes-models';
import type { Manifest } from './kustomize';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Manifest) => Validatable;
type Namespace = Record<string, unknown>;

/** `networking.k8s.io` -> `networkingK8sIo`, the export name kubernetes-models gives an API group. */
function groupKey(group: string): string {
  return group.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());
}

/**
 * Validates a manifest against the Kubernetes OpenAPI schema of its apiVersion and kind (kubernetes-models, which
 * is generated from Kubernetes' own schemas): types, required fields, enums. Throws naming what is wrong, or
 * when the apiVersion/kind is not a built-in one.
 */
export function validateManifest(manifest: Manifest): void {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const root = models as unknown as Record<string, Namespace | undefined>;
  const versions = group === '' ? { [version]: root[version] } : root[groupKey(group)];
  const Model = (versions?.[version] as Namespace | undefined)?.[manifest.kind] as ModelClass | undefined;
  if (Model === undefined)
    throw new Error(`no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest).validate();
}
