// The injector admitted by a real API server: kube-apiserver calls /mutate over HTTPS, trusting
// the caBundle that the injector's auto-TLS mode wrote into the MutatingWebhookConfiguration.
import {
  INJECTION_LABEL,
  injectorWebhookConfiguration,
  KubeBridgeError,
  seedPod,
  startInjectorForCluster,
  startKubernetes,
  waitFor,
  type InjectorForCluster,
  type KubernetesServer,
} from '@opzero/testing';

jest.setTimeout(180_000);

const NAMESPACE = 'apps';
const CONFIG = 'opzero-injector';
const STATUS_ANNOTATION = 'vault.hashicorp.com/agent-inject-status';

interface Pod {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { initContainers?: { name: string }[]; containers: { name: string }[]; volumes?: { name: string }[] };
}

const names = (items: { name: string }[] | undefined) => (items ?? []).map((item) => item.name);

describe('the injector admitted by a real API server', () => {
  let kube: KubernetesServer;
  let injector: InjectorForCluster | undefined;

  beforeAll(async () => {
    kube = await startKubernetes();
    await kube.client.call('create', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: { [INJECTION_LABEL]: 'enabled' } } });
    await kube.client.call('create', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'internal-app', namespace: NAMESPACE } });
  });
  afterAll(async () => {
    await injector?.process.kill();
    await kube?.stop();
  });

  const createPod = (pod: object) => kube.client.call<Pod>('create', pod);

  it('auto TLS writes the caBundle, and the seed pod comes back mutated', async () => {
    injector = await startInjectorForCluster(kube, CONFIG);
    await kube.client.call('create', injectorWebhookConfiguration(CONFIG, injector.url, 'Fail'));
    // With failurePolicy Fail the pod is refused until the API server can call the injector.
    const pod = await waitFor('the API server to admit the seed pod through the injector', () => createPod(seedPod(NAMESPACE)), { timeoutMs: 120_000, intervalMs: 250 });
    process.stderr.write(`[admission] injector start to first mutated pod: ${((Date.now() - injector.startedAt) / 1000).toFixed(1)} s\n`);

    expect(names(pod.spec.initContainers)).toContain('vault-agent-init');
    expect(names(pod.spec.volumes)).toEqual(expect.arrayContaining(['vault-secrets']));
    expect(pod.metadata.annotations?.[STATUS_ANNOTATION]).toBe('injected');
    const configuration = await kube.client.call<{ webhooks: { clientConfig: { caBundle?: string } }[] }>('read', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: CONFIG },
    });
    expect(Buffer.from(configuration.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString()).toContain('-----BEGIN CERTIFICATE-----');
  });

  it("mutates the pod the controller-manager creates for a Deployment's annotated template", async () => {
    const { metadata, spec } = seedPod(NAMESPACE);
    await kube.client.call('create', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'devwebapp', namespace: NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'devwebapp' } },
        template: { metadata: { labels: { app: 'devwebapp' }, annotations: metadata.annotations }, spec },
      },
    });
    const [pod] = await waitFor('the Deployment pod', async () => {
      const pods = await kube.client.call<Pod[]>('list', { apiVersion: 'v1', kind: 'Pod', namespace: NAMESPACE, labelSelector: 'app=devwebapp' });
      return pods.length > 0 ? pods : undefined;
    });
    expect(names(pod!.spec.initContainers)).toContain('vault-agent-init');
    expect(pod!.metadata.annotations?.[STATUS_ANNOTATION]).toBe('injected');
  });

  it("refuses a pod with an invalid annotation, with the injector's message in the API error", async () => {
    const pod = seedPod(NAMESPACE, 'bad-user');
    const annotations = { ...pod.metadata.annotations, 'vault.hashicorp.com/agent-run-as-user': 'root-please' };
    const refused = await createPod({ ...pod, metadata: { ...pod.metadata, annotations } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KubeBridgeError);
    expect((refused as KubeBridgeError).message).toMatch(/admission webhook "injector\.opzero\.io" denied the request/);
    expect((refused as KubeBridgeError).message).toContain('vault.hashicorp.com/agent-run-as-user');
  });

  it('with the injector stopped: Ignore admits the pod unmutated, Fail refuses it', async () => {
    await injector!.process.stop();
    const setPolicy = async (failurePolicy: 'Ignore' | 'Fail') => {
      const header = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: CONFIG } };
      const configuration = await kube.client.call<{ webhooks: { failurePolicy: string }[] }>('read', header);
      configuration.webhooks[0]!.failurePolicy = failurePolicy;
      await kube.client.call('replace', configuration);
    };
    await setPolicy('Ignore');
    const admitted = await createPod(seedPod(NAMESPACE, 'while-down-ignore'));
    expect(names(admitted.spec.initContainers)).not.toContain('vault-agent-init');
    expect(admitted.metadata.annotations?.[STATUS_ANNOTATION]).toBeUndefined();

    await setPolicy('Fail');
    const refused = await createPod(seedPod(NAMESPACE, 'while-down-fail')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KubeBridgeError);
    expect((refused as KubeBridgeError).message).toMatch(/failed calling webhook "injector\.opzero\.io"/);
  });
});
