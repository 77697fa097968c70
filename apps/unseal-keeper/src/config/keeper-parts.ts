import type { KubeConfig } from '@kubernetes/client-node';
import type { EndpointWatch } from '@opzero/kube';
import { createKms, type Kms, type KmsSettings } from '@opzero/kms';
import {
  ConsulKeyStore,
  FileKeyStore,
  KubernetesSecretKeyStore,
  leaseLeaderElection,
  singleKeeper,
  vaultNode,
  type KeyStore,
  type LeaderElection,
  type UnsealKeeperOptions,
  type VaultNode,
} from '@opzero/unseal';
import type { Logger } from 'pino';
import type { UnsealKeeperConfig } from './unseal-keeper.config';

type Provider = Exclude<UnsealKeeperConfig['KMS_PROVIDER'], 'none'>;

/** The KMS provider the settings name (validated by crossFieldProblems, so the `!`s hold). */
export function kmsFrom(config: UnsealKeeperConfig & { KMS_PROVIDER: Provider }, warn: (message: string) => void): Promise<Kms> {
  const settings: Record<Provider, () => KmsSettings> = {
    transit: () => ({
      provider: 'transit',
      address: config.TRANSIT_ADDRESS!,
      token: config.TRANSIT_TOKEN!,
      key: config.TRANSIT_KEY!,
      mount: config.TRANSIT_MOUNT,
      ...(config.TRANSIT_NAMESPACE ? { namespace: config.TRANSIT_NAMESPACE } : {}),
    }),
    'aws-kms': () => ({
      provider: 'aws-kms',
      keyId: config.AWS_KMS_KEY_ID!,
      region: config.AWS_REGION!,
      ...(config.AWS_KMS_ENDPOINT ? { endpoint: config.AWS_KMS_ENDPOINT } : {}),
    }),
    'azure-key-vault': () => ({
      provider: 'azure-key-vault',
      vaultUrl: config.AZURE_KEY_VAULT_URL!,
      keyName: config.AZURE_KEY_NAME!,
      ...(config.AZURE_KEY_VERSION ? { keyVersion: config.AZURE_KEY_VERSION } : {}),
    }),
    'local-key-file': () => ({ provider: 'local-key-file', path: config.LOCAL_KEY_FILE! }),
  };
  return createKms(settings[config.KMS_PROVIDER](), warn);
}

/**
 * libs/kube, loaded only by a keeper that uses Kubernetes (key store, Lease, discovery), like
 * the KMS SDKs and Consul: its certificate code (selfsigned, @peculiar/x509) alone is a few
 * hundred modules a keeper on a file store never runs.
 */
const kube = () => import('@opzero/kube');

/** The cluster's config: in-cluster (ServiceAccount) or KUBECONFIG. */
async function kubeConfig(): Promise<KubeConfig> {
  const k8s = await (await kube()).loadClientNode();
  const config = new k8s.KubeConfig();
  config.loadFromDefault();
  return config;
}

/** The configured key store. */
export async function keyStoreFrom(config: UnsealKeeperConfig): Promise<KeyStore> {
  switch (config.KEY_STORE) {
    case 'consul': {
      // Loaded only for this store, like the KMS SDKs: a keeper on another store does not hold it.
      const { ConsulClient } = await import('@opzero/consul');
      return new ConsulKeyStore(new ConsulClient({ address: config.CONSUL_ADDRESS, ...(config.CONSUL_TOKEN ? { token: config.CONSUL_TOKEN } : {}) }), config.CONSUL_KEY);
    }
    case 'kubernetes':
      return new KubernetesSecretKeyStore(await (await kube()).KubeSecrets.create(await kubeConfig()), config.KUBERNETES_NAMESPACE, config.KUBERNETES_SECRET_NAME);
    case 'file':
      return new FileKeyStore(config.KEY_STORE_FILE);
  }
}

/** One replica: always leader; LEADER_ELECTION=true: a Lease decides. */
export async function leaderElectionFrom(config: UnsealKeeperConfig, logger: Logger): Promise<LeaderElection> {
  if (!config.LEADER_ELECTION) return singleKeeper;
  const elector = await (await kube()).LeaderElector.create(await kubeConfig(), {
    namespace: config.KUBERNETES_NAMESPACE,
    name: config.LEASE_NAME,
    identity: config.POD_NAME,
    leaseDurationMs: config.LEASE_DURATION_MS,
    renewPeriodMs: Math.floor(config.LEASE_DURATION_MS / 3),
    onStartedLeading: () => logger.info({ lease: config.LEASE_NAME, identity: config.POD_NAME }, 'leading: this keeper unseals'),
    onStoppedLeading: () => logger.info({ lease: config.LEASE_NAME, identity: config.POD_NAME }, 'no longer leading'),
  });
  return leaseLeaderElection(elector);
}

/** One VaultNode per configured address (none when KUBERNETES_SERVICE discovers them). */
export const nodesFrom = (config: UnsealKeeperConfig): VaultNode[] => (config.VAULT_ADDRESSES ?? []).map((address) => vaultNode(address, config.VAULT_TIMEOUT_MS));

/**
 * KUBERNETES_SERVICE: watches the Service's EndpointSlices, not-ready pods included (a sealed
 * Vault pod fails its readiness probe), and hands every new node set to `onNodes`; the first
 * set arrives before this resolves. Each node is `<scheme>://<host>:<port>` from the slice.
 */
export async function discoverNodes(config: UnsealKeeperConfig & { KUBERNETES_SERVICE: string }, onNodes: (nodes: VaultNode[]) => void, logger: Logger): Promise<EndpointWatch> {
  const [namespace, name] = config.KUBERNETES_SERVICE.includes('/') ? (config.KUBERNETES_SERVICE.split('/') as [string, string]) : [config.KUBERNETES_NAMESPACE, config.KUBERNETES_SERVICE];
  return (await kube()).watchEndpointSlices(await kubeConfig(), namespace, name, {
    includeNotReady: true,
    port: config.KUBERNETES_SERVICE_PORT,
    onChange: (hostPorts) => {
      const addresses = hostPorts.map((hostPort) => `${config.KUBERNETES_SERVICE_SCHEME}://${hostPort}`);
      logger.info({ service: `${namespace}/${name}`, nodes: addresses }, 'Vault nodes discovered');
      onNodes(addresses.map((address) => vaultNode(address, config.VAULT_TIMEOUT_MS)));
    },
    onReconnect: (error) => logger.warn({ service: `${namespace}/${name}`, error: (error as Error).message }, 'EndpointSlice watch broke; re-listing'),
  });
}

export const keeperOptionsFrom = (config: UnsealKeeperConfig): UnsealKeeperOptions => ({
  intervalMs: config.POLL_INTERVAL_MS,
  jitter: config.POLL_JITTER,
  backoffInitialMs: config.BACKOFF_INITIAL_MS,
  backoffMaxMs: config.BACKOFF_MAX_MS,
});
