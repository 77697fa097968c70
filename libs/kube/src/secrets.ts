import type { CoreV1Api, KubeConfig, V1Secret } from '@kubernetes/client-node';
import { apiStatus, loadClientNode } from './client-node';

/** A Secret's data (decoded) and the resourceVersion that an update must name. */
export interface SecretSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly resourceVersion: string;
  readonly data: Readonly<Record<string, Buffer>>;
}

/** The Secret changed since it was read: read it again and redo the change. */
export class SecretConflictError extends Error {
  constructor(namespace: string, name: string) {
    super(`Secret ${namespace}/${name} was changed by someone else (resourceVersion mismatch)`);
    this.name = 'SecretConflictError';
  }
}

/**
 * A Secret call the API server refused. Only the operation, the Secret's name and the HTTP
 * status are kept: the API server's message and the client's error may quote the request,
 * and Secret data never goes into errors or logs.
 */
export class SecretRequestError extends Error {
  constructor(
    operation: string,
    namespace: string,
    name: string,
    readonly status: number | undefined,
  ) {
    super(`${operation} Secret ${namespace}/${name} failed${status === undefined ? '' : `: HTTP ${status}`}`);
    this.name = 'SecretRequestError';
  }
}

/** Read, create and compare-and-swap update of Secrets (core/v1), over @kubernetes/client-node. */
export class KubeSecrets {
  private constructor(private readonly api: CoreV1Api) {}

  /** Secrets for the cluster `config` points at. */
  static async create(config: KubeConfig): Promise<KubeSecrets> {
    const k8s = await loadClientNode();
    return new KubeSecrets(config.makeApiClient(k8s.CoreV1Api));
  }

  /** The Secret, or undefined when there is none. */
  async read(namespace: string, name: string): Promise<SecretSnapshot | undefined> {
    try {
      return snapshot(namespace, name, await this.api.readNamespacedSecret({ namespace, name }));
    } catch (error) {
      if (apiStatus(error) === 404) return undefined;
      throw new SecretRequestError('read', namespace, name, apiStatus(error));
    }
  }

  /** Creates an Opaque Secret; fails with SecretRequestError (HTTP 409) if it exists. */
  async create(namespace: string, name: string, data: Record<string, Buffer | string>, labels: Record<string, string> = {}): Promise<SecretSnapshot> {
    const body: V1Secret = { metadata: { name, namespace, labels }, type: 'Opaque', data: encode(data) };
    try {
      return snapshot(namespace, name, await this.api.createNamespacedSecret({ namespace, body }));
    } catch (error) {
      throw new SecretRequestError('create', namespace, name, apiStatus(error));
    }
  }

  /**
   * Replaces the Secret's data if it is still at `previous.resourceVersion`
   * (optimistic concurrency); throws SecretConflictError when someone else changed it first.
   */
  async update(previous: SecretSnapshot, data: Record<string, Buffer | string>): Promise<SecretSnapshot> {
    const { namespace, name } = previous;
    try {
      const current = await this.api.readNamespacedSecret({ namespace, name });
      const body: V1Secret = {
        ...current,
        metadata: { ...current.metadata, resourceVersion: previous.resourceVersion },
        data: encode(data),
      };
      delete body.stringData;
      return snapshot(namespace, name, await this.api.replaceNamespacedSecret({ namespace, name, body }));
    } catch (error) {
      if (apiStatus(error) === 409) throw new SecretConflictError(namespace, name);
      throw new SecretRequestError('update', namespace, name, apiStatus(error));
    }
  }
}

function encode(data: Record<string, Buffer | string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
}

function snapshot(namespace: string, name: string, secret: V1Secret): SecretSnapshot {
  const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  return { namespace, name, resourceVersion: secret.metadata?.resourceVersion ?? '', data };
}
