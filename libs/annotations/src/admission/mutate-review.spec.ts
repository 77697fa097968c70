import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { admissionCorpus, podWith, reviewOf } from '../../corpus/admission-corpus';
import { decodeAgentConfig, type AgentConfig } from '../agent-config';
import * as keys from '../annotation-keys';
import { defaultInjectorSettings } from '../injector-settings';
import type { Container, Pod } from '../pod-types';
import type { AdmissionReview } from './admission-review';
import { mutateReview } from './mutate-review';

const V = (key: string) => `vault.hashicorp.com/${key}`;
const settings = { ...defaultInjectorSettings, vaultAddress: 'https://vault:8200' };
const secret = { [V('role')]: 'web', [V('agent-inject-secret-db')]: 'database/creds/web' };

function admit(review: AdmissionReview): { pod: Pod; allowed: boolean; message?: string; patched: boolean } {
  const { response } = mutateReview(review, settings).response as { response: { allowed: boolean; patch?: string; status?: { message: string } } };
  const pod = review.request.object as Pod;
  if (!response.allowed) return { pod, allowed: false, message: response.status?.message ?? '', patched: false };
  if (!response.patch) return { pod, allowed: true, patched: false };
  const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
  return { pod: applyPatch(deepClone(pod), patch, true, false).newDocument as Pod, allowed: true, patched: true };
}

const mutated = (annotations: Record<string, string>, options?: Parameters<typeof podWith>[1]) => admit(reviewOf(podWith(annotations, options)));
const container = (pod: Pod, name: string): Container | undefined =>
  [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
const configOf = (c: Container | undefined): AgentConfig => decodeAgentConfig(c!.env!.find((e) => e.name === 'VAULT_CONFIG')!.value!);
const mountPaths = (c: Container | undefined) => (c?.volumeMounts ?? []).map((m) => m.mountPath);

describe('mutateReview: AdmissionReview in, patched pod out', () => {
  it("gives the rotation service's address to the sidecar only, and only when the injector has one", () => {
    const envOf = (c: Container | undefined) => new Map((c?.env ?? []).map((e) => [e.name, e.value]));
    const review = reviewOf(podWith(secret));
    const patchedWith = (rotationAddress: string) => {
      const { response } = mutateReview(review, { ...settings, rotationAddress }).response as { response: { patch: string } };
      const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
      return applyPatch(deepClone(review.request.object), patch, true, false).newDocument as Pod;
    };
    const pod = patchedWith('http://agent-renderer.platform.svc');
    expect(envOf(container(pod, 'vault-agent')).get('OPZERO_ROTATION_ADDRESS')).toBe('http://agent-renderer.platform.svc');
    expect(envOf(container(pod, 'vault-agent-init')).has('OPZERO_ROTATION_ADDRESS')).toBe(false);
    expect(envOf(container(patchedWith(''), 'vault-agent')).has('OPZERO_ROTATION_ADDRESS')).toBe(false);
  });

  const cases: Array<[string, Record<string, string>, (pod: Pod) => void, Parameters<typeof podWith>[1]?]> = [
    ['defaults: init container first to run, sidecar, in-memory volume, status', secret, (pod) => {
      expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['vault-agent-init']);
      expect(pod.spec?.containers?.map((c) => c.name)).toEqual(['app', 'vault-agent']);
      expect(pod.spec?.volumes?.map((v) => v.name)).toEqual(['kube-api-access-x7k2p', 'home-init', 'home-sidecar', 'vault-secrets']);
      expect(pod.spec?.volumes?.find((v) => v.name === 'vault-secrets')?.emptyDir).toEqual({ medium: 'Memory' });
      expect(mountPaths(container(pod, 'app'))).toContain('/vault/secrets');
      expect(pod.metadata?.annotations?.[keys.AGENT_INJECT_STATUS]).toBe('injected');
      expect(container(pod, 'vault-agent')?.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } });
      expect(container(pod, 'vault-agent')?.securityContext).toEqual({
        capabilities: { drop: ['ALL'] }, runAsUser: 100, runAsGroup: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
      });
      expect(container(pod, 'vault-agent')?.image).toBe(defaultInjectorSettings.agentImage);
    }],
    ['init config exits after auth, sidecar keeps running', secret, (pod) => {
      expect(configOf(container(pod, 'vault-agent-init')).exit_after_auth).toBe(true);
      expect(configOf(container(pod, 'vault-agent')).exit_after_auth).toBe(false);
      expect(configOf(container(pod, 'vault-agent')).template).toEqual([
        { destination: '/vault/secrets/db', contents: '{{ with secret "database/creds/web" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}', left_delimiter: '{{', right_delimiter: '}}' },
      ]);
      expect(configOf(container(pod, 'vault-agent')).auto_auth.method).toEqual({
        type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'web', token_path: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      });
    }],
    ['pre-populate-only: init container only', { ...secret, [V('agent-pre-populate-only')]: 'true' }, (pod) => {
      expect(container(pod, 'vault-agent')).toBeUndefined();
      expect(container(pod, 'vault-agent-init')).toBeDefined();
      expect(pod.spec?.volumes?.map((v) => v.name)).not.toContain('home-sidecar');
    }],
    ['pre-populate false: sidecar only', { ...secret, [V('agent-pre-populate')]: 'false' }, (pod) => {
      expect(pod.spec?.initContainers).toBeUndefined();
      expect(container(pod, 'vault-agent')).toBeDefined();
    }],
    ['init-first puts the agent before existing init containers, which get the mounts', { ...secret, [V('agent-init-first')]: 'true' }, (pod) => {
      expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['vault-agent-init', 'migrate']);
      expect(mountPaths(container(pod, 'migrate'))).toContain('/vault/secrets');
    }, { initContainers: [{ name: 'migrate', image: 'm', volumeMounts: [] }] }],
    ['agent-inject-containers limits the mounts', { ...secret, [V('agent-inject-containers')]: 'metrics' }, (pod) => {
      expect(mountPaths(container(pod, 'app'))).not.toContain('/vault/secrets');
      expect(mountPaths(container(pod, 'metrics'))).toContain('/vault/secrets');
    }, { containers: [{ name: 'app', image: 'a', volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }, { name: 'metrics', image: 'm' }] }],
    ['file, perms, command, delimiters, error-on-missing-key', {
      ...secret, [V('agent-inject-file-db')]: 'cfg/db.env', [V('agent-inject-perms-db')]: '0440', [V('agent-inject-command-db')]: 'reload',
      [V('agent-template-left-delim-db')]: '[[', [V('agent-template-right-delim-db')]: ']]', [V('error-on-missing-key-db')]: 'true',
    }, (pod) => {
      expect(configOf(container(pod, 'vault-agent')).template?.[0]).toMatchObject({
        destination: '/vault/secrets/cfg/db.env', perms: '0440', command: 'reload', left_delimiter: '[[', right_delimiter: ']]', error_on_missing_key: true,
      });
    }],
    ['secret-volume-path-NAME adds a volume and mount', { ...secret, [V('agent-inject-secret-api')]: 'secret/api', [V('secret-volume-path-api')]: '/etc/api' }, (pod) => {
      expect(pod.spec?.volumes?.map((v) => v.name)).toContain('vault-secrets-custom-0');
      expect(mountPaths(container(pod, 'app'))).toEqual(expect.arrayContaining(['/vault/secrets', '/etc/api']));
      expect(configOf(container(pod, 'vault-agent')).template?.map((t) => t.destination)).toEqual(['/etc/api/api', '/vault/secrets/db']);
    }],
    ['resources are canonical quantities', { ...secret, [V('agent-requests-cpu')]: '0.1', [V('agent-limits-mem')]: '1024Mi', [V('agent-requests-ephemeral')]: '1Gi' }, (pod) => {
      expect(container(pod, 'vault-agent')?.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', 'ephemeral-storage': '1Gi', memory: '64Mi' } });
    }],
    ['revoke-on-shutdown adds a pre-stop hook', { ...secret, [V('agent-revoke-on-shutdown')]: 'true' }, (pod) => {
      expect(container(pod, 'vault-agent')?.lifecycle?.preStop?.exec?.command).toEqual([...settings.agentCommand, 'revoke-token', '-sleep=5', '-address=https://vault:8200', '-self']);
    }],
    ['configmap mode mounts the config and passes no VAULT_CONFIG', { [V('agent-configmap')]: 'cfg' }, (pod) => {
      const agent = container(pod, 'vault-agent');
      expect(agent?.env?.map((e) => e.name)).toEqual(['NAMESPACE', 'HOST_IP', 'POD_IP', 'VAULT_LOG_LEVEL', 'VAULT_LOG_FORMAT', 'VAULT_ADDR', 'VAULT_SKIP_VERIFY']);
      expect(mountPaths(agent)).toContain('/vault/configs');
      expect(agent?.args).toEqual(['agent', '-config=/vault/configs/config.hcl', '-token-file=/home/vault/.vault-token']);
    }],
    ['cache in the sidecar only: listener and cache, no persistence', { ...secret, [V('agent-cache-enable')]: 'true', [V('agent-pre-populate')]: 'false' }, (pod) => {
      expect(configOf(container(pod, 'vault-agent')).cache).toEqual({ use_auto_auth_token: 'true' });
      expect(configOf(container(pod, 'vault-agent')).listener).toEqual([{ type: 'tcp', address: '127.0.0.1:8200', tls_disable: true }]);
      expect(pod.spec?.volumes?.map((v) => v.name)).not.toContain('vault-agent-cache');
    }],
    ['agent-json-patch is applied to the sidecar only', { ...secret, [V('agent-json-patch')]: '[{"op":"add","path":"/env/-","value":{"name":"X","value":"1"}}]' }, (pod) => {
      expect(container(pod, 'vault-agent')?.env?.at(-1)).toEqual({ name: 'X', value: '1' });
      expect(container(pod, 'vault-agent-init')?.env?.some((e) => e.name === 'X')).toBe(false);
    }],
    ['share-process-namespace', { ...secret, [V('agent-share-process-namespace')]: 'true' }, (pod) => {
      expect(pod.spec?.shareProcessNamespace).toBe(true);
    }],
    ['run-as-same-user takes the first container uid', { ...secret, [V('agent-run-as-same-user')]: 'true' }, (pod) => {
      expect(container(pod, 'vault-agent')?.securityContext?.runAsUser).toBe(4242);
    }, { containers: [{ name: 'app', image: 'a', securityContext: { runAsUser: 4242 }, volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] }],
  ];

  const rows = cases.map(([name, annotations, check, options]) => [name, annotations, check, options ?? {}] as const);
  it.each(rows)('%s', (_name, annotations, check, options) => {
    const result = mutated(annotations, options);
    expect(result.message).toBeUndefined();
    expect(result.patched).toBe(true);
    check(result.pod);
  });

  const denials: Array<[string, Record<string, string>, RegExp]> = [
    ['cache with an init container (a persistent cache)', { ...secret, [V('agent-cache-enable')]: 'true' }, /^annotation vault\.hashicorp\.com\/agent-cache-enable: "true" needs a persistent cache when the init container runs before the sidecar/],
    ['non-octal perms', { ...secret, [V('agent-inject-perms-db')]: '999' }, /^annotation vault\.hashicorp\.com\/agent-inject-perms-db: "999" is not an octal file mode \(e\.g\. 0440\)$/],
    ['file escaping the volume', { ...secret, [V('agent-inject-file-db')]: '../x' }, /agent-inject-file-db: "\.\.\/x" escapes the secrets volume/],
    ['NUL in a file name', { ...secret, [V('agent-inject-file-db')]: 'a\0b' }, /agent-inject-file-db: .* contains a NUL byte/],
    ['bad quantity', { ...secret, [V('agent-limits-cpu')]: 'lots' }, /agent-limits-cpu: "lots" is not a resource quantity/],
    ['unknown auth type', { ...secret, [V('auth-type')]: 'magic' }, /auth-type: "magic" is not a Vault Agent auth method/],
    ['inject-containers naming no container', { ...secret, [V('agent-inject-containers')]: 'ghost' }, /agent-inject-containers: "ghost" names no container "ghost"/],
    ['json patch that is not a patch', { ...secret, [V('agent-init-json-patch')]: '{"op":"add"}' }, /agent-init-json-patch: .* is not a JSON patch/],
    ['json patch adding capabilities', { ...secret, [V('agent-json-patch')]: '[{"op":"add","path":"/securityContext/capabilities/add","value":["NET_ADMIN"]}]' }, /agent-json-patch: .* adds capabilities to the agent$/],
    ['json patch that does not apply', { ...secret, [V('agent-json-patch')]: '[{"op":"remove","path":"/nothing/here"}]' }, /agent-json-patch: .* does not apply to the agent container/],
    ['every problem at once', { ...secret, [V('agent-inject-perms-db')]: '9', [V('agent-limits-mem')]: 'x' }, /agent-limits-mem: "x".*; annotation .*agent-inject-perms-db: "9"|agent-inject-perms-db: "9".*; annotation .*agent-limits-mem: "x"/],
    ['missing role', { [V('agent-inject-secret-db')]: 'a/b' }, /annotation vault\.hashicorp\.com\/role: is missing/],
    ['unknown telemetry parameter', { ...secret, [V('agent-telemetry-colour')]: 'blue' }, /agent-telemetry-colour: is not an agent telemetry parameter/],
    ['invalid preserve-secret-case', { ...secret, [V('preserve-secret-case')]: 'maybe' }, /preserve-secret-case: "maybe" is not a boolean/],
  ];

  it.each(denials)('denies %s with a message naming the annotation', (_name, annotations, message) => {
    const result = mutated(annotations);
    expect(result.allowed).toBe(false);
    expect(result.message).toMatch(message);
  });

  it.each([
    ['no inject annotation', (review: AdmissionReview) => delete (review.request.object as Pod).metadata!.annotations![keys.AGENT_INJECT]],
    ['already injected', (review: AdmissionReview) => ((review.request.object as Pod).metadata!.annotations![keys.AGENT_INJECT_STATUS] = 'injected')],
    ['kube-system', (review: AdmissionReview) => (review.request.namespace = 'kube-system')],
    ['kube-public', (review: AdmissionReview) => (review.request.namespace = 'kube-public')],
    ['UPDATE', (review: AdmissionReview) => (review.request.operation = 'UPDATE')],
    ['not a pod', (review: AdmissionReview) => (review.request.kind = { group: 'apps', version: 'v1', kind: 'Deployment' })],
    ['running pod', (review: AdmissionReview) => ((review.request.object as Pod).status = { phase: 'Running' })],
  ])('allows unchanged: %s', (_name, tweak) => {
    const review = reviewOf(podWith(secret));
    tweak(review);
    const result = admit(review);
    expect(result).toMatchObject({ allowed: true, patched: false });
  });

  it('answers a v1beta1 review in v1beta1 with the request uid', () => {
    const review = reviewOf(podWith(secret), 'admission.k8s.io/v1beta1');
    const { response } = mutateReview(review, settings);
    expect(response.apiVersion).toBe('admission.k8s.io/v1beta1');
    expect(response.response.uid).toBe(review.request.uid);
    expect(response.response.patchType).toBe('JSONPatch');
  });

  it('summarises the injection for the pod-created event, with paths and no values', () => {
    const outcome = mutateReview(reviewOf(podWith({ ...secret, 'opzero.io/restart-on-rotate': 'true', [V('agent-pre-populate-only')]: 'true' })), settings);
    expect(outcome.event).toMatchObject({
      namespace: 'team-a', generateName: 'web-7d9f8c6b5-', owner: { kind: 'ReplicaSet', name: 'web-7d9f8c6b5' }, serviceAccount: 'web',
      role: 'web', mode: 'init', restartOnRotate: true, secrets: [{ name: 'db', path: 'database/creds/web' }],
    });
  });
});

describe('the shared corpus', () => {
  const corpus = admissionCorpus();

  it('uses every annotation key at least once', () => {
    const used = corpus.flatMap((item) => Object.keys((item.review.request.object as Pod).metadata?.annotations ?? {}));
    const all = (Object.values(keys) as unknown[]).filter((value): value is string => typeof value === 'string');
    const unused = all.filter((key) => !used.some((u) => u === key || u.startsWith(`${key}-`)) && key !== keys.AGENT_REQUEST_NAMESPACE);
    expect(unused).toEqual([]);
  });

  it.each(corpus.map((item) => [item.name, item] as const))('%s: either a patch that applies or a denial with a message', (_name, item) => {
    const result = admit(item.review);
    if (result.allowed) {
      if (result.patched) expect(result.pod.metadata?.annotations?.[keys.AGENT_INJECT_STATUS]).toBe('injected');
      else expect(result.pod).toBe(item.review.request.object);
    } else {
      expect(result.message).toMatch(/^(annotation|request)/);
    }
  });
});
