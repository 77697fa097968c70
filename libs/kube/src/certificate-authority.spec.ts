import { X509Certificate } from 'node:crypto';
import { generateCertificateAuthority, issueServingCertificate } from './certificate-authority';

const HOUR = 3600_000;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const HOSTS = ['opzero-injector', 'opzero-injector.opzero', 'opzero-injector.opzero.svc', '127.0.0.1'];

describe('generateCertificateAuthority / issueServingCertificate', () => {
  it('issues a serving certificate signed by the CA, for every host, with the requested validity', async () => {
    const ca = await generateCertificateAuthority({ commonName: 'opzero-injector-ca', notBefore: now, notAfter: new Date(now.getTime() + 8760 * HOUR) });
    const leaf = await issueServingCertificate(ca, { commonName: 'opzero-injector', hosts: HOSTS, notBefore: now, notAfter: new Date(now.getTime() + 720 * HOUR) });
    const caX509 = new X509Certificate(ca.cert);
    const leafX509 = new X509Certificate(leaf.cert);

    expect(caX509.ca).toBe(true);
    expect(leafX509.ca).toBe(false);
    expect(leafX509.verify(caX509.publicKey)).toBe(true);
    expect(leafX509.checkIssued(caX509)).toBe(true);
    for (const host of HOSTS.slice(0, 3)) expect(leafX509.checkHost(host)).toBe(host);
    expect(leafX509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leafX509.checkHost('evil.example')).toBeUndefined();
    expect(new Date(leafX509.validTo).getTime()).toBe(now.getTime() + 720 * HOUR);
    expect(new Date(caX509.validTo).getTime()).toBe(now.getTime() + 8760 * HOUR);
    expect(leaf.notAfter).toEqual(new Date(leafX509.validTo));
    expect(leafX509.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });

  it('is not verified by another CA', async () => {
    const validity = { notBefore: now, notAfter: new Date(now.getTime() + HOUR) };
    const ca = await generateCertificateAuthority({ commonName: 'one', ...validity });
    const other = await generateCertificateAuthority({ commonName: 'two', ...validity });
    const leaf = await issueServingCertificate(ca, { commonName: 'x', hosts: ['x'], ...validity });
    expect(new X509Certificate(leaf.cert).verify(new X509Certificate(other.cert).publicKey)).toBe(false);
  });

  it('refuses a serving certificate without hosts', async () => {
    const validity = { notBefore: now, notAfter: new Date(now.getTime() + HOUR) };
    const ca = await generateCertificateAuthority({ commonName: 'one', ...validity });
    await expect(issueServingCertificate(ca, { commonName: 'x', hosts: [], ...validity })).rejects.toThrow(/at least one host/);
  });
});
