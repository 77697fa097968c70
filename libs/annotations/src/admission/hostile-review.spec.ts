// Hostile and malformed reviews, one row per class the outside tests found: each is denied
// naming the annotation or field (or rejected as not an AdmissionReview), and none throws.
import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { podCreatedSchema } from '@opzero/contracts';
import { podWith, reviewOf } from '../../corpus/admission-corpus';
import { defaultInjectorSettings } from '../injector-settings';
import type { Container, Pod } from '../pod-types';
import { InvalidAdmissionReview, parseAdmissionReview, type AdmissionReview } from './admission-review';
import { mutateReview } from './mutate-review';

const V = (key: string) => `vault.hashicorp.com/${key}`;
const secret = { [V('agent-inject')]: 'true', [V('role')]: 'web', [V('agent-inject-secret-db')]: 'database/creds/web' };

function answer(review: AdmissionReview) {
  const outcome = mutateReview(review, defaultInjectorSettings);
  const { response } = outcome.response;
  const pod = review.request.object as Pod;
  const patched = response.patch
    ? (applyPatch(deepClone(pod), JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[], true, false).newDocument as Pod)
    : pod;
  return { outcome, allowed: response.allowed, message: response.status?.message ?? '', pod: patched };
}
const withAnnotations = (annotations: Record<string, string>, options?: Parameters<typeof podWith>[1]) => answer(reviewOf(podWith({ ...secret, ...annotations }, options)));
const agent = (pod: Pod, name = 'vault-agent'): Container | undefined => [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);

describe('annotation values are checked in linear time, with limits denied by name', () => {
  const slow = '1'.repeat(64_000) + 'x';
  it.each(['auth-min-backoff', 'auth-max-backoff', 'template-static-secret-render-interval', 'client-timeout', 'template-lease-renewal-threshold', 'agent-run-as-user', 'agent-limits-cpu'])(
    '%s: a long run of digits and a bad character is denied by name',
    (key) => {
      const result = withAnnotations({ [V(key)]: slow });
      expect(result.allowed).toBe(false);
      expect(result.message).toContain(`annotation ${V(key)}: is 64001 characters long; the limit for this annotation is 64`);
    },
  );

  it('a 1 MiB value is refused at once with the total limit (generous bound: 2 s)', () => {
    const started = process.hrtime.bigint();
    const result = withAnnotations({ [V('auth-min-backoff')]: '1'.repeat(1024 * 1024) + 'x' });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(result.message).toMatch(/^metadata\.annotations: \d+ characters in total, over Kubernetes' limit of 262144/);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it.each([
    ['auth-min-backoff', '1.5h30m0.5s', true], ['auth-min-backoff', '1h1', false], ['auth-max-backoff', '3000000h', false],
    ['template-lease-renewal-threshold', '0.5e0', true], ['template-lease-renewal-threshold', '1e', false], ['client-timeout', '30', true],
  ])('%s %p parses as Go would: %p', (key, value, ok) => {
    expect(withAnnotations({ [V(key)]: value }).allowed).toBe(ok);
  });

  it('denies an annotation key Kubernetes would refuse', () => {
    expect(withAnnotations({ [V(`agent-inject-secret-${'x'.repeat(60)}`)]: 'a/b' }).message).toMatch(/is not a valid annotation key/);
  });
});

describe('no root by accident', () => {
  it.each([
    ['agent-run-as-user', '', /agent-run-as-user: "" is empty; give a user id/],
    ['agent-run-as-group', '', /agent-run-as-group: "" is empty; give a group id/],
    ['agent-run-as-user', '-1', /agent-run-as-user: "-1" is not a user id/],
    ['agent-run-as-user', '2147483648', /is not a user id: give a whole number from 0 to 2147483647/],
    ['agent-run-as-group', '9223372036854775807', /agent-run-as-group: .* is not a group id/],
    ['agent-run-as-user', '1e3', /is not a user id/],
  ])('%s %p is denied', (key, value, message) => {
    const result = withAnnotations({ [V(key)]: value });
    expect(result.allowed).toBe(false);
    expect(result.message).toMatch(message);
  });

  it('an explicit "0" is honoured', () => {
    const result = withAnnotations({ [V('agent-run-as-user')]: '0' });
    expect(agent(result.pod)?.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false });
  });

  it.each([
    ['a patch to uid 0', '[{"op":"replace","path":"/securityContext/runAsUser","value":0}]', /sets securityContext.runAsUser to 0 \(root\) without/],
    ['a patch to 1e30', '[{"op":"replace","path":"/securityContext/runAsGroup","value":1e30}]', /results in: container\.securityContext\.runAsGroup is not an integer/],
    ['a fractional id', '[{"op":"replace","path":"/securityContext/runAsUser","value":1.5}]', /runAsUser is not an integer|runAsUser to 1.5/],
    ['a negative quantity', '[{"op":"replace","path":"/resources/limits/cpu","value":"-1"}]', /sets resources.limits.cpu to "-1", which is negative/],
    ['remove /securityContext', '[{"op":"remove","path":"/securityContext"}]', /removes the securityContext the injector sets/],
    ['remove runAsUser', '[{"op":"remove","path":"/securityContext/runAsUser"}]', /removes securityContext.runAsUser/],
  ])('denies %s', (_name, patch, message) => {
    const result = withAnnotations({ [V('agent-json-patch')]: patch });
    expect(result.allowed).toBe(false);
    expect(result.message).toMatch(message);
  });

  it.each([['string', '1000'], ['fraction', 1000.5], ['negative', -5]])('run-as-same-user with a %s runAsUser is denied naming the field', (_kind, uid) => {
    const containers = [{ name: 'app', image: 'a', securityContext: { runAsUser: uid as number }, volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }];
    const result = withAnnotations({ [V('agent-run-as-same-user')]: 'true' }, { containers });
    expect(result.allowed).toBe(false);
    expect(result.message).toMatch(/spec\.containers\[0\]\.securityContext\.runAsUser is not an integer|runAsUser -5, which is not a user id/);
  });
});

describe('JSON patches are judged by the container they leave', () => {
  // Where VAULT_CONFIG sits in the sidecar's env, so the patches below address it.
  const CONFIG_INDEX = agent(withAnnotations({}).pod)!.env!.findIndex((e) => e.name === 'VAULT_CONFIG');
  it.each([
    ['Privileged spelled differently', '[{"op":"add","path":"/securityContext/Privileged","value":true}]', /securityContext.Privileged, which is not a securityContext field/],
    ['allowprivilegeescalation lower-case', '[{"op":"add","path":"/securityContext/allowprivilegeescalation","value":true}]', /not a securityContext field/],
    ['privileged', '[{"op":"add","path":"/securityContext/privileged","value":true}]', /makes the agent privileged/],
    ['a move that brings capabilities in', '[{"op":"add","path":"/securityContext/seccompProfile","value":{"type":"RuntimeDefault"}},{"op":"replace","path":"/securityContext/capabilities","value":{"add":["SYS_ADMIN"],"drop":["ALL"]}}]', /adds capabilities/],
    ['VAULT_CONFIG replaced to write /etc/passwd', `[{"op":"replace","path":"/env/${CONFIG_INDEX}/value","value":"${Buffer.from(JSON.stringify({ template: [{ destination: '/etc/passwd', contents: 'x' }] })).toString('base64')}"}]`, /template destination "\/etc\/passwd" outside the secrets volumes/],
    ['VAULT_CONFIG from a ConfigMap', `[{"op":"replace","path":"/env/${CONFIG_INDEX}","value":{"name":"VAULT_CONFIG","valueFrom":{"configMapKeyRef":{"name":"x","key":"y"}}}}]`, /takes VAULT_CONFIG from elsewhere/],
    ['args replaced', '[{"op":"replace","path":"/args","value":["agent","-config=/etc/passwd"]}]', /changes the agent arguments/],
    ['__proto__ in the path', '[{"op":"add","path":"/__proto__/polluted","value":1}]', /path segment "__proto__"/],
    ['constructor/prototype in the path', '[{"op":"add","path":"/env/constructor/prototype/x","value":1}]', /path segment "constructor"/],
    ['__proto__ in a value', '[{"op":"add","path":"/env/-","value":{"name":"A","__proto__":{"x":1}}}]', /has a "__proto__" key/],
    ['a value nested 10,000 deep', `[{"op":"add","path":"/env/-","value":${'['.repeat(10_000)}${']'.repeat(10_000)}}]`, /nests deeper than 32 levels/],
    ['copies that double the container', JSON.stringify([{ op: 'add', path: '/args/-', value: 'x'.repeat(1000) }, ...Array.from({ length: 30 }, () => ({ op: 'copy', from: '/env', path: '/env/-' }))]), /changes the agent arguments|grows the container|nests deeper/],
  ])('denies %s', (_name, patch, message) => {
    const result = withAnnotations({ [V('agent-json-patch')]: patch });
    expect(result.outcome.reason).toBe('denied');
    expect(result.message).toMatch(/^annotation vault\.hashicorp\.com\/agent-json-patch: /);
    expect(result.message).toMatch(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('still admits a patch that keeps the agent safe (resources, an env entry)', () => {
    const result = withAnnotations({ [V('agent-json-patch')]: '[{"op":"replace","path":"/resources/limits/cpu","value":"1"},{"op":"add","path":"/env/-","value":{"name":"X","value":"1"}}]' });
    expect(result.allowed).toBe(true);
    expect(agent(result.pod)?.resources?.limits?.['cpu']).toBe('1');
  });
});

describe('wrongly typed review fields are denied or rejected, never thrown', () => {
  const base = () => reviewOf(podWith(secret));
  it.each<[string, (review: AdmissionReview) => void, RegExp]>([
    ['ownerReferences: [null]', (r) => ((r.request.object as Pod).metadata!.ownerReferences = [null as never]), /metadata\.ownerReferences\[0\] is not an object/],
    ['an owner without a name', (r) => ((r.request.object as Pod).metadata!.ownerReferences = [{ kind: 'ReplicaSet' } as never]), /metadata\.ownerReferences\[0\]\.name is not a string/],
    ['null projected sources', (r) => ((r.request.object as Pod).spec!.volumes = [{ name: 'v', projected: { sources: [null as never] } }]), /spec\.volumes\[0\]\.projected\.sources\[0\] is not an object/],
    ['null env entries', (r) => ((r.request.object as Pod).spec!.containers![0]!.env = [null as never]), /spec\.containers\[0\]\.env\[0\] is not an object/],
    ['a numeric annotation', (r) => ((r.request.object as Pod).metadata!.annotations!['x'] = 5 as never), /metadata\.annotations\["x"\] is not a string/],
    ['a numeric pod name', (r) => ((r.request.object as Pod).metadata!.name = 5 as never), /metadata\.name is not a string/],
  ])('%s', (_name, tweak, message) => {
    const review = base();
    tweak(review);
    const result = answer(review);
    expect(result.allowed).toBe(false);
    expect(result.message).toMatch(message);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a numeric namespace', { namespace: 7 }, /request\.namespace is not a string/],
    ['kind as a string', { kind: 'Pod' }, /request\.kind is not an object/],
    ['a uid of 200 characters', { uid: 'u'.repeat(200) }, /request\.uid is 200 characters long/],
  ])('rejects a request with %s as not an AdmissionReview', (_name, fields, message) => {
    const review = base();
    Object.assign(review.request, fields);
    expect(() => parseAdmissionReview(JSON.parse(JSON.stringify(review)))).toThrow(InvalidAdmissionReview);
    expect(() => parseAdmissionReview(JSON.parse(JSON.stringify(review)))).toThrow(message);
  });

  it('a copied mount with a deeply nested unknown field is copied without it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const containers = [{ name: 'app', image: 'a', volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'data', mountPath: '/data', extra: deep }] }];
    // Straight to mutateReview: the test's own patch application would recurse into the pod.
    const outcome = mutateReview(reviewOf(podWith({ ...secret, [V('agent-copy-volume-mounts')]: 'app' }, { containers })), defaultInjectorSettings);
    expect(outcome.reason).toBe('injected');
    const patch = JSON.parse(Buffer.from(outcome.response.response.patch!, 'base64').toString('utf8')) as Array<{ value?: Container }>;
    const sidecar = patch.find((op) => op.value?.name === 'vault-agent')!.value!;
    expect(sidecar.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  });
});

describe('admission and the pod-created contract agree', () => {
  it.each([
    ['a leading slash is dropped, as the agent reads it', '/secret/data/db', 'secret/data/db'],
    ['surrounding spaces are dropped', ' secret/data/db ', 'secret/data/db'],
  ])('%s', (_name, path, expected) => {
    const { outcome } = withAnnotations({ [V('agent-inject-secret-db')]: path });
    expect(outcome.event?.secrets).toEqual([{ name: 'db', path: expected }]);
    expect(podCreatedSchema.safeParse(outcome.event).success).toBe(true);
  });

  it.each([
    ['a space inside', 'secret/my db'],
    ['a ".." segment', 'secret/../sys/raw'],
    ['only a slash', '/'],
  ])('denies a secret path with %s, naming the annotation', (_name, path) => {
    const result = withAnnotations({ [V('agent-inject-secret-db')]: path });
    expect(result.allowed).toBe(false);
    expect(result.message).toMatch(/^annotation vault\.hashicorp\.com\/agent-inject-secret-db: .*the pod-created event must pass its contract/);
  });

  it('denies a pod name the contract (and Kubernetes) would refuse', () => {
    const review = reviewOf(podWith(secret));
    (review.request.object as Pod).metadata!.name = 'Not_A_Name';
    expect(answer(review).message).toMatch(/^metadata\.name: must be a lowercase RFC 1123 name/);
  });
});

describe('large pods are answered in time linear in their size', () => {
  it.each([
    ['50,000 containers', { containers: Array.from({ length: 50_000 }, (_, i) => ({ name: `c${i}`, image: 'i', volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] })) }, {}],
    ['450 secrets with their own mount paths', {}, Object.fromEntries(Array.from({ length: 450 }, (_, i) => [[V(`agent-inject-secret-s${i}`), `kv/s${i}`], [V(`secret-volume-path-s${i}`), `/m/${i}`]]).flat())],
    ['5,000 invalid annotations', {}, Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [V(`agent-inject-perms-s${i}`), 'x']))],
  ])('%s (generous bound: 10 s)', (_name, options, annotations) => {
    const started = process.hrtime.bigint();
    const outcome = mutateReview(reviewOf(podWith({ ...secret, ...annotations }, options)), defaultInjectorSettings);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(10_000);
    expect(outcome.response.response.status?.message ?? '').toMatch(/^$|^annotation .*(and \d+ more problems)?$/);
    expect((outcome.response.response.status?.message ?? '').length).toBeLessThan(10_000);
  });
});
