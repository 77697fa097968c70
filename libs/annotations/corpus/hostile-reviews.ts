/**
 * fast-check generators of whole AdmissionReviews as an outside tester would send them: hostile
 * annotation values (long, nested, unicode, NUL, numbers at and beyond every limit), JSON
 * patches of every operation over the paths that matter, and wrong types in every field the
 * injector reads. Shared by the in-process fuzz suite and the one over real HTTPS.
 */
import fc from 'fast-check';
import * as keys from '../src/annotation-keys';
import type { AdmissionReview } from '../src/admission/admission-review';
import type { Pod } from '../src/pod-types';
import { podWith, reviewOf } from './admission-corpus';

const families = keys.FAMILY_PREFIXES as readonly string[];
const plainKeys = (Object.values(keys) as unknown[]).filter((v): v is string => typeof v === 'string' && !families.includes(v));

/** Numbers at and beyond the limits of ids, ports, int64 and floats, as annotation text. */
const edgeNumbers = ['0', '-0', '+0', '-1', '1', '100', '65535', '65536', '2147483647', '2147483648', '-2147483649', '4294967296', '9223372036854775807', '9223372036854775808', '18446744073709551616', '1e30', '1.5', '0.5', '.5', '5.', '1e', '0x10', 'NaN', 'Infinity', '1_000'];
const fixedValues = [
  '', ' ', 'true', 'false', 'TRUE', 't', 'yes', '0440', '999', '250m', '1Gi', '-1Gi', '-250m', '1e3', '30s', '1h30m', '-5s', '1.5h', '0.9',
  'x y', '../x', 'a/../../b', '/abs', '/', '//', 'a\0b', '\u0000', 'json', 'map', 'kubernetes', 'aws', 'app', 'app,ghost', 'api, worker',
  'database/creds/web', '/secret/data/db', ' secret/db ', 'secret/my db', 'secret/../sys', 'secret\tdb', '\u00e9t\u00e9/\u{1F600}', '\u202e', '\uFEFFsecret',
  '[]', '{', '{}', 'null', '[null]', '[1]', '{"a":1}', 'auto-auth,caching', 'auto-auth,bogus', '8200',
];
/** Values that made the old validators backtrack: a long run and one bad character. */
const runs = fc.tuple(fc.constantFrom('1', '0', '1.', 'a', ' ', '9'), fc.integer({ min: 100, max: 5000 }), fc.constantFrom('x', '', 's', '.', 'e', '-')).map(
  ([unit, count, tail]) => unit.repeat(count) + tail,
);
const nested = fc.integer({ min: 1, max: 3000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));

const patchPaths = [
  '/securityContext/runAsUser', '/securityContext/runAsGroup', '/securityContext/privileged', '/securityContext/Privileged',
  '/securityContext/allowPrivilegeEscalation', '/securityContext/allowprivilegeescalation', '/securityContext/capabilities/add',
  '/securityContext/capabilities/add/-', '/securityContext/capabilities', '/securityContext/runAsNonRoot', '/securityContext', '/securityContext/procMount',
  '/env/-', '/env/0', '/env/3', '/env/5', '/env/5/value', '/args', '/args/-', '/command', '/command/0', '/resources/limits/cpu', '/resources/requests/memory',
  '/resources', '/name', '/image', '/volumeMounts/-', '/volumeMounts/0/mountPath', '/__proto__/polluted', '/constructor/prototype/x', '/env/__proto__',
  '', '/', 'noslash', '/nothing/here', '/lifecycle', '/workingDir', '/Env',
];
const patchValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1, 100, 1000, 1.5, 1e30, 2147483647, 2147483648, -2147483649, true, false, null, 'x', '-1', '1Gi', '-1Gi', '/etc/passwd', 'ALL'),
  fc.constantFrom(
    { name: 'X', value: '1' }, { name: 'VAULT_CONFIG', value: Buffer.from(JSON.stringify({ template: [{ destination: '/etc/passwd' }] })).toString('base64') },
    { name: 'VAULT_CONFIG', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }, { name: 'data', mountPath: '/data' }, ['NET_ADMIN'], ['agent', '-config=/etc/passwd'],
    { add: ['SYS_ADMIN'] }, { runAsUser: 0 }, {}, [], JSON.parse('{"__proto__":{"polluted":1}}') as unknown, [null],
  ),
  fc.integer({ min: 1, max: 80 }).map((depth) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { d: value };
    return value;
  }),
);
const operation = fc.record(
  {
    op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
    path: fc.constantFrom(...patchPaths),
    from: fc.constantFrom(...patchPaths),
    value: patchValue,
  },
  { requiredKeys: ['op', 'path'] },
);
const jsonPatch = fc.array(operation, { maxLength: 6 }).map((ops) => JSON.stringify(ops));

const value = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...fixedValues) },
  { weight: 4, arbitrary: fc.constantFrom(...edgeNumbers) },
  { weight: 2, arbitrary: fc.string({ maxLength: 16, unit: 'binary' }) },
  { weight: 1, arbitrary: runs },
  { weight: 1, arbitrary: nested },
);
const secretName = fc.constantFrom('db', 'DB', 'api', 'a.b', 'x-y', 'x_y', '', '..', 'a/b', '-x', 'x'.repeat(70));
const annotation = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...plainKeys), value) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...families), secretName, value).map(([prefix, name, v]) => [`${prefix}-${name}`, v] as const) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(keys.AGENT_JSON_PATCH, keys.AGENT_INIT_JSON_PATCH), jsonPatch) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(keys.AGENT_RUN_AS_USER, keys.AGENT_RUN_AS_GROUP), fc.constantFrom(...edgeNumbers, '', ' 1', '1 ')) },
);

/** Places in a review the injector reads, and wrong-typed things to put there. */
const wrongValues: unknown[] = [null, 5, -1, 1.5, '1000', 'x', true, [], [null], {}, { a: 1 }, [{}], ['x']];
const fieldPaths: string[][] = [
  ['request', 'uid'], ['request', 'namespace'], ['request', 'kind'], ['request', 'kind', 'kind'], ['request', 'operation'], ['request', 'subResource'],
  ['request', 'object'], ['request', 'object', 'metadata'], ['request', 'object', 'metadata', 'name'], ['request', 'object', 'metadata', 'generateName'],
  ['request', 'object', 'metadata', 'namespace'], ['request', 'object', 'metadata', 'annotations'], ['request', 'object', 'metadata', 'ownerReferences'],
  ['request', 'object', 'metadata', 'ownerReferences', '0'], ['request', 'object', 'metadata', 'ownerReferences', '0', 'name'],
  ['request', 'object', 'metadata', 'ownerReferences', '0', 'kind'], ['request', 'object', 'metadata', 'ownerReferences', '0', 'controller'],
  ['request', 'object', 'spec'], ['request', 'object', 'spec', 'containers'], ['request', 'object', 'spec', 'containers', '0'],
  ['request', 'object', 'spec', 'containers', '0', 'name'], ['request', 'object', 'spec', 'containers', '0', 'env'], ['request', 'object', 'spec', 'containers', '0', 'env', '0'],
  ['request', 'object', 'spec', 'containers', '0', 'securityContext'], ['request', 'object', 'spec', 'containers', '0', 'securityContext', 'runAsUser'],
  ['request', 'object', 'spec', 'containers', '0', 'volumeMounts'], ['request', 'object', 'spec', 'containers', '0', 'volumeMounts', '0'],
  ['request', 'object', 'spec', 'containers', '0', 'volumeMounts', '0', 'mountPath'], ['request', 'object', 'spec', 'initContainers'],
  ['request', 'object', 'spec', 'volumes'], ['request', 'object', 'spec', 'volumes', '0', 'projected'], ['request', 'object', 'spec', 'volumes', '0', 'projected', 'sources'],
  ['request', 'object', 'spec', 'volumes', '0', 'projected', 'sources', '0'], ['request', 'object', 'spec', 'volumes', '0', 'projected', 'sources', '0', 'serviceAccountToken'],
  ['request', 'object', 'spec', 'serviceAccountName'], ['request', 'object', 'spec', 'shareProcessNamespace'], ['request', 'object', 'status'], ['request', 'object', 'status', 'phase'],
];
const retype = fc.tuple(fc.constantFrom(...fieldPaths), fc.constantFrom(...wrongValues));

function setAt(root: unknown, path: string[], value: unknown): void {
  let node = root as Record<string, unknown>;
  for (const step of path.slice(0, -1)) {
    const next = node[step];
    if (typeof next !== 'object' || next === null) return;
    node = next as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

const container = (name: string, runAsUser: number | undefined) => ({
  name,
  image: 'registry.local/app:1.0',
  env: [{ name: 'AWS_REGION', value: 'eu-west-1' }, { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::1:role/x' }],
  volumeMounts: [{ name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'data', mountPath: '/data' }],
  ...(runAsUser === undefined ? {} : { securityContext: { runAsUser } }),
});

/** One generated review body (not always a valid AdmissionReview: that is part of the test). */
export const hostileReview: fc.Arbitrary<unknown> = fc
  .record({
    // Mostly few hostile values, so that admissions (and their patches) are common enough to test.
    pairs: fc.oneof(
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 3, arbitrary: fc.array(annotation, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(annotation, { maxLength: 12 }) },
    ),
    names: fc.constantFrom(['app'], ['app', 'worker'], ['api', 'worker'], []),
    runAsUser: fc.constantFrom(undefined, 0, 1000, 4242),
    withInit: fc.boolean(),
    retypes: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(retype, { minLength: 1, maxLength: 2 }) }),
    apiVersion: fc.constantFrom('admission.k8s.io/v1', 'admission.k8s.io/v1beta1'),
    inject: fc.constantFrom('true', 'true', 'true', 'false', 'maybe'),
  })
  .map(({ pairs, names, runAsUser, withInit, retypes, apiVersion, inject }): unknown => {
    const annotations: Record<string, string> = Object.fromEntries([[keys.ROLE, 'web'], [`${keys.AGENT_INJECT_SECRET}-db`, 'database/creds/web'], ...pairs]);
    annotations[keys.AGENT_INJECT] = inject;
    const pod = podWith(annotations, {
      containers: names.map((n) => container(n, runAsUser)),
      ...(withInit ? { initContainers: [container('migrate', undefined)] } : {}),
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }, { name: 'data', emptyDir: {} }],
    });
    const review: AdmissionReview = reviewOf(pod as Pod, apiVersion as AdmissionReview['apiVersion']);
    for (const [path, wrong] of retypes) setAt(review, path, structuredClone(wrong));
    return review;
  });

/** The annotations that ask explicitly for uid or gid 0, which the checks must honour. */
export const ROOT_REQUEST_KEYS = { user: keys.AGENT_RUN_AS_USER, group: keys.AGENT_RUN_AS_GROUP } as const;
