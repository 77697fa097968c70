import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requestJson } from './https-client';
import { startHostProcess, type HostProcess } from './host-process';
import type { KubernetesPki } from './kubernetes-pki';
import { opzeroCache } from './runtime-env';
import { waitFor } from './wait-for';

/** The release tools/infra/kubernetes/build.sh builds (keep in step with it). */
export const KUBERNETES_VERSION = 'v1.36.3';
export const ETCD_VERSION = '3.6.8';
/** The issuer of ServiceAccount tokens, as a cluster's default. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** Where setup.sh put kube-apiserver, kube-controller-manager and etcd. */
export function kubernetesBinaries(): { apiserver: string; controllerManager: string; etcd: string } {
  const dir = process.env['OPZERO_KUBERNETES_DIR'] ?? join(opzeroCache(), 'kubernetes', KUBERNETES_VERSION);
  const binaries = { apiserver: join(dir, 'kube-apiserver'), controllerManager: join(dir, 'kube-controller-manager'), etcd: join(dir, 'etcd') };
  const missing = Object.values(binaries).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    const log = process.env['OPZERO_KUBERNETES_BUILD_LOG'];
    throw new Error(
      `Kubernetes binaries missing (${missing.join(', ')}): run tools/infra/setup.sh, which builds them with tools/infra/kubernetes/build.sh` +
        (log ? `; the last build failed, see ${log}` : ''),
    );
  }
  return binaries;
}

/** Ports of one cluster; they stay the same across restarts. */
export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
}

/** A process that exited while we waited for it to get ready: say so with its last output. */
async function readyOrExited(component: HostProcess, what: string, probe: () => Promise<true | undefined>): Promise<void> {
  let exited = false;
  void component.exited.then(() => (exited = true));
  await waitFor(what, async () => {
    if (exited) throw new Error(`${component.name} exited:\n${component.tail()}`);
    return probe();
  }).catch((error: Error) => {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`${error.message}${cause}\n--- ${component.name} output ---\n${component.tail()}`);
  });
}

/** etcd on 127.0.0.1 with its data under `dir`; fsync off (a test cluster, data is throwaway). */
export async function startEtcd(binary: string, dir: string, ports: ClusterPorts): Promise<HostProcess> {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  const etcd = startHostProcess('etcd', binary, [
    '--name=opzero',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=opzero=${peer}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ]);
  await readyOrExited(etcd, `etcd on ${client}`, async () => ((await fetch(`${client}/health`)).ok ? true : undefined));
  return etcd;
}

/** kube-apiserver over that etcd, RBAC on, ServiceAccount tokens signed by the PKI's key. */
export async function startApiserver(binary: string, dir: string, ports: ClusterPorts, pki: KubernetesPki): Promise<HostProcess> {
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const apiserver = startHostProcess('kube-apiserver', binary, [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${join(dir, 'apiserver')}`,
    `--tls-cert-file=${pki.servingCertFile}`,
    `--tls-private-key-file=${pki.servingKeyFile}`,
    `--client-ca-file=${pki.caFile}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${pki.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${pki.serviceAccountKeyFile}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--authorization-mode=RBAC',
    '--profiling=false',
  ]);
  // /readyz is readable anonymously (system:public-info-viewer), as on any cluster.
  await readyOrExited(apiserver, `kube-apiserver on ${server}`, async () =>
    (await requestJson('GET', `${server}/readyz`, { ca: pki.ca })).status === 200 ? true : undefined,
  );
  return apiserver;
}

/** kube-controller-manager with the admin kubeconfig; no leader election (one instance). */
export function startControllerManager(binary: string, dir: string, ports: ClusterPorts, pki: KubernetesPki, kubeconfigFile: string): HostProcess {
  return startHostProcess('kube-controller-manager', binary, [
    `--kubeconfig=${kubeconfigFile}`,
    `--authentication-kubeconfig=${kubeconfigFile}`,
    `--authorization-kubeconfig=${kubeconfigFile}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    `--cert-dir=${join(dir, 'controller-manager')}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${pki.serviceAccountKeyFile}`,
    `--root-ca-file=${pki.caFile}`,
    '--cluster-name=opzero-test',
    '--profiling=false',
  ]);
}

/** Waits until the controller-manager acts: its ServiceAccount controller creates `default/default`. */
export async function controllerManagerReady(controllerManager: HostProcess, readDefaultServiceAccount: () => Promise<unknown>): Promise<void> {
  await readyOrExited(controllerManager, 'kube-controller-manager to create the default ServiceAccount', async () => {
    await readDefaultServiceAccount();
    return true;
  });
}
