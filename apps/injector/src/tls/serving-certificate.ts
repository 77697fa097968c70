import { watch, readFileSync, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Server } from 'node:https';

export interface KeyPair {
  key: string;
  cert: string;
}

/** The serving key pair: from the configured files, or a self-signed one for local runs. */
export async function loadServingCertificate(certFile: string, keyFile: string): Promise<KeyPair> {
  if (certFile && keyFile) return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  if (certFile || keyFile) throw new Error('INJECTOR_TLS_CERT_FILE and INJECTOR_TLS_KEY_FILE must be set together');
  // Loaded only here: selfsigned brings node-forge, megabytes every process would hold for a
  // certificate that only local runs generate.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'opzero-injector' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Reloads the certificate into the running server when the files change (cert-manager and
 * Kubernetes secret volumes replace them through a symlink swap, so the directory is watched).
 * New connections get the new certificate; a half-written pair is skipped until it parses.
 */
export function reloadOnChange(server: Server, certFile: string, keyFile: string, onError: (error: Error) => void): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        server.setSecureContext({ cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') });
      } catch (error) {
        onError(error as Error);
      }
    }, 200);
  };
  const dirs = [...new Set([dirname(certFile), dirname(keyFile)])];
  return dirs.map((dir) => {
    const watcher = watch(dir, reload);
    watcher.unref();
    return watcher;
  });
}
