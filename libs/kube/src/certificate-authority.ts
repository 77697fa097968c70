import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A certificate with its private key (PEM) and the validity it was actually given. */
export interface IssuedCertificate {
  cert: string;
  key: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateAuthorityRequest {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}

export interface ServingCertificateRequest {
  commonName: string;
  /** DNS names and IP addresses the certificate is valid for; IPs become IP SANs. */
  hosts: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

/** Reads the validity back from the certificate, since that (not the request) is what clients check. */
function issued(cert: string, key: string): IssuedCertificate {
  const x509 = new X509Certificate(cert);
  return { cert, key, notBefore: new Date(x509.validFrom), notAfter: new Date(x509.validTo) };
}

/** A self-signed P-256 CA that may sign serving certificates and nothing below them. */
export async function generateCertificateAuthority(request: CertificateAuthorityRequest): Promise<IssuedCertificate> {
  const pems = await generate([{ name: 'commonName', value: request.commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: request.notBefore,
    notAfterDate: request.notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return issued(pems.cert, pems.private);
}

/** A P-256 TLS server certificate for `hosts`, signed by `ca`. */
export async function issueServingCertificate(ca: IssuedCertificate, request: ServingCertificateRequest): Promise<IssuedCertificate> {
  if (request.hosts.length === 0) throw new Error('a serving certificate needs at least one host name or IP address');
  const pems = await generate([{ name: 'commonName', value: request.commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: request.notBefore,
    notAfterDate: request.notAfter,
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: request.hosts.map((host) => (isIP(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host })),
      },
    ],
  });
  return issued(pems.cert, pems.private);
}
