import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { adminKubeconfig, createKubernetesPki } from './kubernetes-pki';

describe('createKubernetesPki', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('signs a serving certificate for 127.0.0.1 and the in-cluster names, and an admin in system:masters', async () => {
    const pki = await createKubernetesPki(dir);
    const ca = new X509Certificate(pki.ca);
    const serving = new X509Certificate(readFileSync(pki.servingCertFile));
    const admin = new X509Certificate(pki.adminCert);
    expect(ca.ca).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(admin.subject).toMatch(/O=system:masters/);
    expect(readFileSync(pki.serviceAccountKeyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');

    const kubeconfig = parse(adminKubeconfig('https://127.0.0.1:6443', pki)) as { clusters: { cluster: Record<string, string> }[] };
    expect(kubeconfig.clusters[0]?.cluster).toEqual({ server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(pki.ca).toString('base64') });
  });
});
