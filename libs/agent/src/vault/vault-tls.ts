import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { VaultConnectionConfig } from '../config/agent-config';
import { ConfigFieldError } from '../config/duration';

/** TLS options for node:https from the vault stanza (ca_cert beats ca_path, as in Vault's api). */
export function tlsOptions(config: VaultConnectionConfig): { ca?: string[]; cert?: string; key?: string; rejectUnauthorized: boolean; servername?: string } {
  const read = (field: string, path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigFieldError(field, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  let ca: string[] | undefined;
  if (config.caCertBytes) ca = [config.caCertBytes];
  else if (config.caCert) ca = [read('vault.ca_cert', config.caCert)];
  else if (config.caPath) {
    const dir = config.caPath;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      throw new ConfigFieldError('vault.ca_path', `cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    ca = names.filter((n) => !n.startsWith('.')).map((n) => read('vault.ca_path', join(dir, n)));
  }
  if (Boolean(config.clientCert) !== Boolean(config.clientKey)) throw new ConfigFieldError('vault.client_cert', 'client_cert and client_key must be set together');
  return {
    ...(ca ? { ca } : {}),
    ...(config.clientCert ? { cert: read('vault.client_cert', config.clientCert) } : {}),
    ...(config.clientKey ? { key: read('vault.client_key', config.clientKey) } : {}),
    rejectUnauthorized: !config.tlsSkipVerify,
    ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
  };
}
