import type { KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeBridge, type KubeBridge } from './kube-bridge';
import { clientNodeFor, type TokenQuery } from './kube-object-operations';
import {
  controllerManagerReady,
  ETCD_VERSION,
  kubernetesBinaries,
  SERVICE_ACCOUNT_ISSUER,
  startApiserver,
  startControllerManager,
  startEtcd,
  type ClusterPorts,
} from './kubernetes-components';
import { adminKubeconfig, createKubernetesPki } from './kubernetes-pki';
import { requestJson } from './https-client';
import { freePorts } from './ports';
import { loadTestingEnv } from './runtime-env';
import type { RealServer } from './server';
import type { HostProcess } from './host-process';

/** A real API server (with controller-manager and etcd) started for a test. */
export interface KubernetesServer extends RealServer {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** The cluster CA (PEM) that signed the API server's certificate. */
  readonly ca: string;
  /** `v1.36.3`, as the API server's /version reports it. */
  readonly version: string;
  /** The issuer (and default audience) of the ServiceAccount tokens it signs. */
  readonly serviceAccountIssuer: string;
  /** An admin kubeconfig file (client certificate in system:masters). */
  readonly kubeconfigFile: string;
  /** The same kubeconfig as the object `KubeConfig.loadFromOptions()` takes. */
  readonly kubeconfig: KubeconfigOptions;
  /** The admin kubeconfig loaded into client-node (outside Jest only: the library is ESM-only). */
  kubeConfig(): Promise<KubeConfig>;
  /** Admin object operations (create, read, list, patch, delete, token) run by client-node in a child process. */
  readonly client: KubeBridge;
  /** A ServiceAccount token from the TokenRequest API (audience: the API server's, unless given). */
  mintServiceAccountToken(namespace: string, serviceAccount: string, options?: Pick<TokenQuery, 'audiences' | 'expirationSeconds'>): Promise<string>;
}

/** The plain-object form of a kubeconfig that client-node's `loadFromOptions` accepts. */
export interface KubeconfigOptions {
  clusters: { name: string; server: string; caData: string }[];
  users: { name: string; certData: string; keyData: string }[];
  contexts: { name: string; cluster: string; user: string; namespace: string }[];
  currentContext: string;
}

const BRIDGE_SCRIPT = join(__dirname, 'kube-objects.bridge.ts');

/**
 * A real Kubernetes control plane on 127.0.0.1: kube-apiserver and kube-controller-manager
 * v1.36.3 over etcd 3.6.8, run as host processes from the binaries tools/infra/setup.sh builds.
 * There is no kubelet and no scheduler: pods are admitted and stay Pending, which is enough for
 * admission webhooks, owners, rollouts, Leases, EndpointSlices and ServiceAccount tokens.
 * `restart()` and `kill()` act on the API server (etcd and the controller-manager keep running).
 */
export async function startKubernetes(): Promise<KubernetesServer> {
  loadTestingEnv();
  const startedAt = Date.now();
  const binaries = kubernetesBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'opzero-kube-'));
  const [etcdClient, etcdPeer, apiserverPort, controllerManagerPort] = (await freePorts(4)) as [number, number, number, number];
  const ports: ClusterPorts = { etcdClient, etcdPeer, apiserver: apiserverPort, controllerManager: controllerManagerPort };
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const pki = await createKubernetesPki(dir);
  const kubeconfigFile = join(dir, 'admin.kubeconfig');
  writeFileSync(kubeconfigFile, adminKubeconfig(server, pki), { mode: 0o600 });

  const started: HostProcess[] = [];
  let bridge: KubeBridge | undefined;
  const stopAll = async () => {
    await bridge?.close();
    for (const component of [...started].reverse()) await component.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    started.push(await startEtcd(binaries.etcd, dir, ports));
    let apiserver = await startApiserver(binaries.apiserver, dir, ports, pki);
    started.push(apiserver);
    const controllerManager = startControllerManager(binaries.controllerManager, dir, ports, pki, kubeconfigFile);
    started.push(controllerManager);
    const client = startKubeBridge(BRIDGE_SCRIPT, [kubeconfigFile]);
    bridge = client;
    await controllerManagerReady(controllerManager, () =>
      client.call('read', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } }),
    );
    const version = ((await requestJson('GET', `${server}/version`, { ca: pki.ca })).body as { gitVersion?: string }).gitVersion ?? '?';

    const replaceApiserver = async (stop: () => Promise<void>) => {
      await stop();
      const index = started.indexOf(apiserver);
      apiserver = await startApiserver(binaries.apiserver, dir, ports, pki);
      started[index] = apiserver;
    };
    const description = `Kubernetes ${version} (kube-apiserver + kube-controller-manager, etcd ${ETCD_VERSION})`;
    process.stderr.write(`[opzero/testing] ${description} (host processes) at ${server}, ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
    return {
      description,
      image: `host processes: ${binaries.apiserver}`,
      server,
      ca: pki.ca,
      version,
      serviceAccountIssuer: SERVICE_ACCOUNT_ISSUER,
      kubeconfigFile,
      kubeconfig: kubeconfigOptions(server, pki.ca, pki.adminCert, pki.adminKey),
      kubeConfig: async () => (await clientNodeFor(kubeconfigFile)).config,
      client,
      async mintServiceAccountToken(namespace, serviceAccount, options = {}) {
        const token = await client.call<string | null>('token', { namespace, serviceAccount, ...options });
        if (!token) throw new Error(`TokenRequest for ${namespace}/${serviceAccount} returned no token`);
        return token;
      },
      stop: stopAll,
      restart: () => replaceApiserver(() => apiserver.stop()),
      // After kill(), restart() starts the API server again (its stop() of a dead process is a no-op).
      kill: () => apiserver.kill(),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function kubeconfigOptions(server: string, ca: string, cert: string, key: string): KubeconfigOptions {
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return {
    clusters: [{ name: 'opzero-test', server, caData: b64(ca) }],
    users: [{ name: 'opzero-admin', certData: b64(cert), keyData: b64(key) }],
    contexts: [{ name: 'opzero-test', cluster: 'opzero-test', user: 'opzero-admin', namespace: 'default' }],
    currentContext: 'opzero-test',
  };
}
