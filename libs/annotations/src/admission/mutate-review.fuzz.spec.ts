// Fuzz suite over whole AdmissionReviews (seeded: a failure prints the seed and path to replay).
// Properties, as the webhook answers: 400 for what is not an AdmissionReview, otherwise 200
// allowed or denied naming the annotation or field, never a thrown error (a 5xx); an allowed
// patch applies cleanly; agent containers are never privileged and never uid/gid 0 unless the
// annotations ask for exactly that; every injected pod yields a valid pod-created event.
import fc from 'fast-check';
import { applyPatch, type Operation } from 'fast-json-patch';
import { podCreatedSchema } from '@opzero/contracts';
import { podWith, reviewOf } from '../../corpus/admission-corpus';
import { hostileReview, ROOT_REQUEST_KEYS } from '../../corpus/hostile-reviews';
import * as keys from '../annotation-keys';
import { parseGoInt } from '../go-values';
import { defaultInjectorSettings } from '../injector-settings';
import type { Container, Pod } from '../pod-types';
import { InvalidAdmissionReview, parseAdmissionReview } from './admission-review';
import { mutateReview } from './mutate-review';

const RUNS = Number(process.env['OPZERO_FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['OPZERO_FUZZ_SEED'] ?? 20261128);
const NAMED = /^(annotation |request|metadata|spec|status)/;

const asksForRoot = (annotations: Record<string, unknown>, key: string) => {
  const raw = annotations[key];
  return typeof raw === 'string' && parseGoInt(raw) === 0n;
};

function checkAgent(container: Container, annotations: Record<string, unknown>): void {
  const context = container.securityContext ?? {};
  expect(context.privileged).not.toBe(true);
  expect(context.allowPrivilegeEscalation).not.toBe(true);
  expect(context.capabilities?.add ?? []).toEqual([]);
  for (const field of Object.keys(context)) expect(['privileged', 'allowprivilegeescalation'].includes(field.toLowerCase()) && !['privileged', 'allowPrivilegeEscalation'].includes(field)).toBe(false);
  if (context.runAsUser === 0) expect(asksForRoot(annotations, ROOT_REQUEST_KEYS.user)).toBe(true);
  if (context.runAsGroup === 0) expect(asksForRoot(annotations, ROOT_REQUEST_KEYS.group)).toBe(true);
  for (const id of [context.runAsUser, context.runAsGroup]) if (id !== undefined) expect(Number.isInteger(id) && id >= 0 && id <= 2147483647).toBe(true);
}

describe(`mutateReview over ${RUNS} generated AdmissionReviews (seed ${SEED})`, () => {
  it('answers 400 or 200 (allowed, or denied naming the field), with clean patches, safe agents and valid events', () => {
    const tally = { badRequest: 0, denied: 0, allowed: 0, injected: 0 };
    fc.assert(
      fc.property(hostileReview, (body) => {
        let review;
        try {
          review = parseAdmissionReview(body);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidAdmissionReview);
          tally.badRequest++;
          return;
        }
        const outcome = mutateReview(review, defaultInjectorSettings);
        const { response } = outcome.response;
        expect(response.uid).toBe(review.request.uid);
        if (!response.allowed) {
          tally.denied++;
          expect(response.status?.message).toMatch(NAMED);
          return;
        }
        tally.allowed++;
        if (!response.patch) return;
        tally.injected++;
        const pod = review.request.object as Pod;
        const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
        const patched = applyPatch(structuredClone(pod), patch, true, false).newDocument;
        const annotations = pod.metadata?.annotations ?? {};
        for (const container of [...(patched.spec?.containers ?? []), ...(patched.spec?.initContainers ?? [])]) {
          if (container.name === 'vault-agent' || container.name === 'vault-agent-init') checkAgent(container, annotations);
        }
        expect(patched.metadata?.annotations?.[keys.AGENT_INJECT_STATUS]).toBe('injected');
        const event = podCreatedSchema.safeParse(outcome.event);
        expect(event.error?.issues).toBeUndefined();
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The generator must reach every kind of answer, or the properties prove little.
    expect(tally.badRequest).toBeGreaterThan(RUNS / 100);
    expect(tally.denied).toBeGreaterThan(RUNS / 10);
    expect(tally.injected).toBeGreaterThan(RUNS / 10);
    process.stdout.write(`fuzz tally: ${JSON.stringify(tally)}\n`);
  }, 180_000);

  it.each([keys.AUTH_MIN_BACKOFF, keys.TEMPLATE_LEASE_RENEWAL_THRESHOLD, keys.AGENT_JSON_PATCH, `${keys.AGENT_INJECT_TEMPLATE}-db`, `${keys.AUTH_CONFIG}-role`])(
    'a 1 MiB value in %s is answered (generous bound: 5 s)',
    (key) => {
      const review = reviewOf(podWith({ [keys.ROLE]: 'web', [key]: `${'1'.repeat(1024 * 1024)}x` }));
      const started = process.hrtime.bigint();
      const { response } = mutateReview(review, defaultInjectorSettings).response;
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5_000);
      expect(response.allowed).toBe(false);
      expect(response.status?.message).toMatch(/^metadata\.annotations: \d+ characters in total/);
    },
  );
});
