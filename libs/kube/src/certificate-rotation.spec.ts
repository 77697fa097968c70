import { X509Certificate } from 'node:crypto';
import { caBundle, CertificateRotation, renewalTime, type RotationPolicy, type ServingState } from './certificate-rotation';

const HOUR = 3600_000;
const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const policy: RotationPolicy = {
  caCommonName: 'opzero-injector-ca',
  commonName: 'opzero-injector',
  hosts: ['opzero-injector.opzero.svc', '127.0.0.1'],
  caValidityMs: 90 * HOUR,
  leafValidityMs: 30 * HOUR,
  clockSkewMs: 0,
};

const x509 = (pem: string) => new X509Certificate(pem);
const signedBy = (state: ServingState, ca: { cert: string } | undefined) => ca !== undefined && x509(state.leaf.cert).verify(x509(ca.cert).publicKey);
/** The certificates of a PEM bundle, by fingerprint. */
const bundleFingerprints = (pem: string) =>
  (pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((cert) => x509(cert).fingerprint256);

describe('renewalTime', () => {
  it.each([
    [0, 30, 20],
    [0, 720, 480],
    [10, 40, 30],
  ])('issued at %p h, expiring at %p h: renew at %p h (2/3)', (issued, expires, renew) => {
    expect(renewalTime(at(issued), at(expires))).toEqual(at(renew));
  });
});

describe('CertificateRotation', () => {
  const rotation = new CertificateRotation(policy);

  it('starts with a CA and a serving certificate it signed, valid as configured, renewed at 2/3', async () => {
    const state = await rotation.initial(t0);
    expect(signedBy(state, state.ca)).toBe(true);
    expect(state.leaf.notAfter).toEqual(at(30));
    expect(state.ca.notAfter).toEqual(at(90));
    expect(rotation.renewalAt(state)).toEqual(at(20));
    expect(bundleFingerprints(caBundle(state, t0))).toEqual([x509(state.ca.cert).fingerprint256]);
  });

  it('backdates notBefore by the clock skew without shortening the validity', async () => {
    const state = await new CertificateRotation({ ...policy, clockSkewMs: 5 * 60_000 }).initial(t0);
    expect(state.leaf.notBefore).toEqual(new Date(t0.getTime() - 5 * 60_000));
    expect(state.leaf.notAfter).toEqual(at(30));
  });

  it('renews the serving certificate under the same CA while the CA has time left', async () => {
    const first = await rotation.initial(t0);
    const second = await rotation.renew(first, at(20));
    expect(second.ca).toBe(first.ca);
    expect(second.leaf.cert).not.toBe(first.leaf.cert);
    expect(signedBy(second, first.ca)).toBe(true);
    expect(second.leaf.notAfter).toEqual(at(50));
    expect(rotation.renewalAt(second)).toEqual(at(40));
    expect(second.nextCa).toBeUndefined();
  });

  it('rotates the CA in two steps: stage (bundle old+new, old still signs), then promote (bundle new+old)', async () => {
    const first = await rotation.initial(t0);
    const r1 = await rotation.renew(first, at(20)); // CA has 70 h left: no change
    const staged = await rotation.renew(r1, at(40)); // 50 h left < 2 x 30 h: a new CA is staged
    expect(staged.ca).toBe(first.ca);
    expect(staged.nextCa).toBeDefined();
    expect(signedBy(staged, first.ca)).toBe(true);
    expect(bundleFingerprints(caBundle(staged, at(40)))).toEqual([x509(first.ca.cert).fingerprint256, x509(staged.nextCa!.cert).fingerprint256]);

    const promoted = await rotation.renew(staged, at(60));
    expect(promoted.ca).toBe(staged.nextCa);
    expect(promoted.previousCa).toBe(first.ca);
    expect(signedBy(promoted, staged.nextCa)).toBe(true);
    expect(signedBy(promoted, first.ca)).toBe(false);
    // Both CAs, so a connection still holding the old certificate keeps validating.
    expect(bundleFingerprints(caBundle(promoted, at(60)))).toEqual([x509(staged.nextCa!.cert).fingerprint256, x509(first.ca.cert).fingerprint256]);
    // Once the old CA has expired it leaves the bundle.
    expect(bundleFingerprints(caBundle(promoted, at(91)))).toEqual([x509(staged.nextCa!.cert).fingerprint256]);
    const later = await rotation.renew(promoted, at(91));
    expect(later.previousCa).toBeUndefined();
  });

  it('rotates at once, keeping the old CA in the bundle, when a renewal comes too late to stage', async () => {
    const first = await rotation.initial(t0);
    const late = await rotation.renew(first, at(75)); // 15 h left: less than one serving lifetime
    expect(late.ca).not.toBe(first.ca);
    expect(late.previousCa).toBe(first.ca);
    expect(signedBy(late, late.ca)).toBe(true);
    expect(late.leaf.notAfter).toEqual(at(105));
    expect(bundleFingerprints(caBundle(late, at(75)))).toHaveLength(2);
  });

  it('refuses a CA validity shorter than three serving lifetimes', () => {
    expect(() => new CertificateRotation({ ...policy, caValidityMs: 60 * HOUR })).toThrow(/at least three serving-certificate lifetimes \(90 h\)/);
  });
});
