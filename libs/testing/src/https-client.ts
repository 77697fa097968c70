import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A throwaway certificate for 127.0.0.1 and localhost (EC P-256), PEM. */
async function localCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

/** A throwaway certificate written to a temporary folder, for servers that take PEM files. */
export async function localCertificateFiles(): Promise<{ ca: string; certFile: string; keyFile: string }> {
  const { key, cert } = await localCertificate();
  const dir = mkdtempSync(join(tmpdir(), 'opzero-tls-'));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, cert);
  writeFileSync(keyFile, key);
  return { ca: cert, certFile, keyFile };
}

export interface JsonResponse {
  status: number;
  /** The parsed body, or undefined when it is not JSON. */
  body: unknown;
  text: string;
}

/** A JSON request over HTTPS trusting only `ca`, or over plain HTTP when the URL says so. */
export function requestJson(method: string, url: string, options: { ca?: string; body?: string } = {}): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method, headers, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.once('error', reject);
    req.end(options.body);
  });
}

/** POSTs a JSON body over HTTPS, trusting only `ca`. */
export function postJson(url: string, body: string, ca: string): Promise<JsonResponse> {
  return requestJson('POST', url, { ca, body });
}
