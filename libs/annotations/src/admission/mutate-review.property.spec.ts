import fc from 'fast-check';
import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { podWith, reviewOf } from '../../corpus/admission-corpus';
import * as keys from '../annotation-keys';
import { defaultInjectorSettings } from '../injector-settings';
import type { Container, Pod } from '../pod-types';
import { mutateReview } from './mutate-review';

const families = keys.FAMILY_PREFIXES as readonly string[];
const plainKeys = (Object.values(keys) as unknown[]).filter((v): v is string => typeof v === 'string' && !families.includes(v));

const value = fc.oneof(
  fc.constantFrom('true', 'false', '1', '0', '', 'yes', '0440', '999', '250m', '1Gi', 'x y', '../x', '/abs', 'a\0b', 'json', 'map', 'kubernetes', 'aws', 'app', 'app,ghost', '[]', '[{"op":"add","path":"/env/-","value":{"name":"A","value":"b"}}]', '[{"op":"remove","path":"/name"}]', '{', '30s', '-1', '8200', 'auto-auth,caching'),
  fc.string({ maxLength: 12 }),
);
const name = fc.constantFrom('db', 'DB', 'api', 'a.b', 'x-y', '', '..');
const annotation = fc.oneof(
  fc.tuple(fc.constantFrom(...plainKeys), value),
  fc.tuple(fc.constantFrom(...families), name, value).map(([prefix, n, v]) => [`${prefix}-${n}`, v] as const),
);
const container: fc.Arbitrary<Container> = fc.record({
  name: fc.constantFrom('app', 'metrics', 'vault-agent', 'worker'),
  image: fc.constant('img'),
  volumeMounts: fc.option(
    fc.array(fc.constantFrom({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'data', mountPath: '/data' }, { name: 'irsa', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount' }), { maxLength: 3 }),
    { nil: undefined },
  ),
  securityContext: fc.option(fc.record({ runAsUser: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }) }), { nil: undefined }),
}, { requiredKeys: ['name', 'image'] });

describe('mutateReview over random annotation maps and pod shapes', () => {
  it('never throws, and returns either a JSONPatch that applies cleanly or a denial with a message', () => {
    fc.assert(
      fc.property(
        fc.array(annotation, { maxLength: 12 }),
        fc.array(container, { minLength: 0, maxLength: 3 }),
        fc.option(fc.array(container, { maxLength: 2 }), { nil: undefined }),
        fc.boolean(),
        (pairs, containers, initContainers, withVolumes) => {
          const annotations = Object.fromEntries([[keys.AGENT_INJECT, 'true'], ...pairs]);
          const pod = podWith(annotations, {
            containers,
            ...(initContainers ? { initContainers } : {}),
            volumes: withVolumes ? [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] : [],
          });
          const review = reviewOf(pod);
          const { response } = mutateReview(review, defaultInjectorSettings).response;
          expect(response.uid).toBe(review.request.uid);
          if (!response.allowed) {
            expect(response.status?.message).toMatch(/\S/);
            return;
          }
          if (!response.patch) return;
          const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
          const result = applyPatch(deepClone(pod), patch, true, false).newDocument as Pod;
          expect(result.metadata?.annotations?.[keys.AGENT_INJECT_STATUS]).toBe('injected');
          const names = [...(result.spec?.containers ?? []), ...(result.spec?.initContainers ?? [])].map((c) => c.name);
          expect(names.some((n) => n === 'vault-agent' || n === 'vault-agent-init')).toBe(true);
          // Every mount of an agent container refers to a volume of the pod (or one the pod's own
          // containers already mount: the generated pods need not be consistent themselves).
          const volumes = new Set([
            ...(result.spec?.volumes ?? []).map((v) => v.name),
            ...[...containers, ...(initContainers ?? [])].flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)),
          ]);
          for (const c of [...(result.spec?.containers ?? []), ...(result.spec?.initContainers ?? [])]) {
            if (c.name !== 'vault-agent' && c.name !== 'vault-agent-init') continue;
            for (const m of c.volumeMounts ?? []) expect(volumes.has(m.name)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
