import type { KubeSecrets } from '@opzero/kube';
import { KeyStoreConflict, type KeyStore, type Revisioned } from './key-store';
import { parseStoredKeys, type StoredKeys } from './stored-keys';

/**
 * libs/kube's error classes, loaded when a write fails: a static import would load libs/kube
 * (and its certificate code) into every keeper, Kubernetes store or not.
 */
const kubeErrors = () => import('@opzero/kube');

/** The Secret's data key holding the keys document. */
const DATA_KEY = 'keys.json';

/**
 * Keys in a Kubernetes Secret (the default in a cluster), through libs/kube. The document is
 * one data key, written with the Secret's resourceVersion (optimistic concurrency), so create
 * and replace are compare-and-set like the other stores. A Secret that exists without the key
 * (made empty by a Helm chart, say) counts as empty. Restrict `get`/`update` on it to the
 * keeper's ServiceAccount.
 */
export class KubernetesSecretKeyStore implements KeyStore {
  readonly description: string;

  constructor(
    private readonly secrets: Pick<KubeSecrets, 'read' | 'create' | 'update'>,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.description = `kubernetes secret ${namespace}/${name}`;
  }

  async load(): Promise<Revisioned<StoredKeys> | undefined> {
    const secret = await this.secrets.read(this.namespace, this.name);
    const text = secret?.data[DATA_KEY];
    if (!secret || !text) return undefined;
    return { value: parseStoredKeys(text.toString('utf8'), this.description), revision: secret.resourceVersion };
  }

  async create(keys: StoredKeys): Promise<string> {
    const existing = await this.secrets.read(this.namespace, this.name);
    if (existing?.data[DATA_KEY]) throw new KeyStoreConflict(this.description, 'it already holds keys');
    if (existing) return this.replace(keys, existing.resourceVersion);
    try {
      const created = await this.secrets.create(this.namespace, this.name, { [DATA_KEY]: JSON.stringify(keys) }, { 'app.kubernetes.io/managed-by': 'opzero-unseal-keeper' });
      return created.resourceVersion;
    } catch (error) {
      const { SecretRequestError } = await kubeErrors();
      if (error instanceof SecretRequestError && error.status === 409) throw new KeyStoreConflict(this.description, 'it was created by someone else');
      throw error;
    }
  }

  async replace(keys: StoredKeys, revision: string): Promise<string> {
    try {
      const updated = await this.secrets.update({ namespace: this.namespace, name: this.name, resourceVersion: revision, data: {} }, { [DATA_KEY]: JSON.stringify(keys) });
      return updated.resourceVersion;
    } catch (error) {
      const { SecretConflictError } = await kubeErrors();
      if (error instanceof SecretConflictError) throw new KeyStoreConflict(this.description, 'it changed since it was read');
      throw error;
    }
  }
}
