import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as `helm template` prints it (only the fields the tests read are typed). */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The objects of a multi-document YAML stream, empty documents left out. */
export function parseManifests(text: string): RenderedObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as RenderedObject | null)
    .filter((object): object is RenderedObject => object !== null);
}

/** The one object of a kind (and name, when given); throws naming what is missing. */
export function objectOf(objects: readonly RenderedObject[], kind: string, name?: string): RenderedObject {
  const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found.length !== 1) {
    const present = objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ');
    throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length} among: ${present}`);
  }
  return found[0] as RenderedObject;
}

/** The env of a Deployment's first container, as name -> value (valueFrom entries left out). */
export function containerEnv(deployment: RenderedObject): Map<string, string> {
  const env = (deployment as unknown as { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } }).spec
    .template.spec.containers[0]?.env;
  return new Map((env ?? []).filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value as string]));
}
