import { spawnApp, type AppProcess } from './app-process';
import { localCertificateFiles, requestJson } from './https-client';
import type { KubernetesServer } from './kubernetes';
import { freePort } from './ports';
import { waitFor } from './wait-for';

/** The label a namespace carries for the test webhook to see its pods. */
export const INJECTION_LABEL = 'opzero.io/injection';

/** The injector app running in auto-TLS mode against a test cluster. */
export interface InjectorForCluster {
  readonly process: AppProcess;
  /** `https://127.0.0.1:<port>/mutate`, where the webhook configuration points. */
  readonly url: string;
  /** When the process was spawned (epoch ms). */
  readonly startedAt: number;
}

/**
 * Starts apps/injector as a process with INJECTOR_TLS_AUTO=true and the cluster's admin
 * kubeconfig, so it generates its CA and writes the caBundle into `webhookConfigName` itself,
 * as in a cluster. Kafka is unreachable on purpose: admission does not depend on it.
 */
export async function startInjectorForCluster(kube: KubernetesServer, webhookConfigName: string): Promise<InjectorForCluster> {
  const port = await freePort();
  const startedAt = Date.now();
  const process = spawnApp('injector', {
    INJECTOR_HOST: '127.0.0.1',
    INJECTOR_PORT: String(port),
    INJECTOR_TLS_AUTO: 'true',
    INJECTOR_TLS_AUTO_HOSTS: 'localhost',
    INJECTOR_WEBHOOK_CONFIG_NAME: webhookConfigName,
    INJECTOR_KAFKA_BROKERS: '127.0.0.1:1',
    INJECTOR_LOG_LEVEL: 'warn',
    KUBECONFIG: kube.kubeconfigFile,
  });
  return { process, url: `https://127.0.0.1:${port}/mutate`, startedAt };
}

/** The injector serving HTTPS with a throwaway certificate: where it listens and the CA to trust. */
export interface HttpsInjector {
  readonly process: AppProcess;
  readonly port: number;
  /** `https://127.0.0.1:<port>` */
  readonly base: string;
  readonly ca: string;
}

/** Starts apps/injector on 127.0.0.1 with certificate files and `env` added, and waits for /readyz. */
export async function startHttpsInjector(kafkaBrokers: readonly string[], env: Record<string, string> = {}, readyTimeoutMs = 60_000): Promise<HttpsInjector> {
  const tls = await localCertificateFiles();
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const process = spawnApp('injector', {
    INJECTOR_HOST: '127.0.0.1',
    INJECTOR_PORT: String(port),
    INJECTOR_KAFKA_BROKERS: kafkaBrokers.join(','),
    INJECTOR_TLS_CERT_FILE: tls.certFile,
    INJECTOR_TLS_KEY_FILE: tls.keyFile,
    ...env,
  });
  await waitFor('injector ready', async () => ((await requestJson('GET', `${base}/readyz`, { ca: tls.ca })).status === 200 ? true : undefined), { timeoutMs: readyTimeoutMs });
  return { process, port, base, ca: tls.ca };
}

/**
 * A MutatingWebhookConfiguration for pod CREATEs in namespaces labelled INJECTION_LABEL=enabled,
 * calling `url` (no caBundle: auto-TLS mode writes it).
 */
export function injectorWebhookConfiguration(name: string, url: string, failurePolicy: 'Fail' | 'Ignore') {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name: 'injector.opzero.io',
        clientConfig: { url },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        namespaceSelector: { matchLabels: { [INJECTION_LABEL]: 'enabled' } },
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy,
        timeoutSeconds: 10,
      },
    ],
  };
}

/** The seed pod of the talk this project starts from (issue 7), in `namespace`. */
export function seedPod(namespace: string, name = 'devwebapp') {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      annotations: {
        'vault.hashicorp.com/agent-inject': 'true',
        'vault.hashicorp.com/role': 'devweb-app',
        'vault.hashicorp.com/agent-inject-secret-credentials.txt': 'secret/data/devwebapp/config',
        'vault.hashicorp.com/agent-pre-populate-only': 'true',
        'vault.hashicorp.com/agent-inject-template-credentials.txt': [
          '{{ with secret "secret/data/devwebapp/config" -}}',
          'export ID="{{ .Data.data.ID }}"',
          'export PASSWORD="{{ .Data.data.PASSWORD }}"',
          '{{- end }}',
          '',
        ].join('\n'),
      },
    },
    spec: {
      serviceAccountName: 'internal-app',
      containers: [{ name: 'devwebapp', image: 'jweissig/app:0.0.1', args: ['sh', '-c', 'source /vault/secrets/credentials.txt && exec /app'] }],
    },
  };
}
