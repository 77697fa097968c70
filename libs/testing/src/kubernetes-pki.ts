import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** The files a throwaway cluster's components read, all under one directory. */
export interface KubernetesPki {
  /** The cluster CA (PEM): it signs the serving and client certificates. */
  readonly ca: string;
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly servingCertFile: string;
  readonly servingKeyFile: string;
  /** A client certificate in `system:masters`: the admin credential of the kubeconfig. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** The service-account token signing key pair (EC P-256, PEM). */
  readonly serviceAccountKeyFile: string;
  readonly serviceAccountPublicKeyFile: string;
}

/** The names a pod or a host uses for the API server; the serving certificate covers them all. */
const SERVING_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

/** Generates a CA, the API server's serving certificate, an admin client certificate and SA keys. */
export async function createKubernetesPki(dir: string): Promise<KubernetesPki> {
  const common = { keyType: 'ec' as const, algorithm: 'sha256' };
  const ca = await generate([{ name: 'commonName', value: 'opzero-test-cluster-ca' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signer = { key: ca.private, cert: ca.cert };
  const serving = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    ...common,
    ca: signer,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 7, ip: '10.96.0.1' }, ...SERVING_NAMES.map((value) => ({ type: 2 as const, value }))],
      },
    ],
  });
  const admin = await generate(
    [
      { name: 'commonName', value: 'opzero-admin' },
      { name: 'organizationName', value: 'system:masters' },
    ],
    {
      ...common,
      ca: signer,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
    },
  );
  const serviceAccount = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  return {
    ca: ca.cert,
    caFile: file('ca.crt', ca.cert),
    caKeyFile: file('ca.key', ca.private),
    servingCertFile: file('apiserver.crt', serving.cert),
    servingKeyFile: file('apiserver.key', serving.private),
    adminCert: admin.cert,
    adminKey: admin.private,
    serviceAccountKeyFile: file('sa.key', serviceAccount.privateKey),
    serviceAccountPublicKeyFile: file('sa.pub', serviceAccount.publicKey),
  };
}

/** An admin kubeconfig (YAML) for `server`, credentials embedded. */
export function adminKubeconfig(server: string, pki: KubernetesPki): string {
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: opzero-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.ca)}`,
    'users:',
    '- name: opzero-admin',
    '  user:',
    `    client-certificate-data: ${b64(pki.adminCert)}`,
    `    client-key-data: ${b64(pki.adminKey)}`,
    'contexts:',
    '- name: opzero-test',
    '  context:',
    '    cluster: opzero-test',
    '    user: opzero-admin',
    '    namespace: default',
    'current-context: opzero-test',
    '',
  ].join('\n');
}
