/** Field names that can hold credentials or secret material anywhere in a log object. */
const SECRET_FIELDS = [
  'token',
  'clientToken',
  'client_token',
  'rootToken',
  'root_token',
  'password',
  'secret',
  'secretData',
  'shares',
  'unsealKey',
  'unseal_key',
  'keys',
  'keys_base64',
  'privateKey',
  'private_key',
  'authorization',
];

/** Request headers that carry credentials. */
const SECRET_HEADERS = ['authorization', 'cookie', 'x-vault-token', 'x-consul-token', 'x-vault-wrap-token'];

/**
 * pino redaction paths: the secret fields at the top level and two levels down (pino wildcards
 * match one level each), plus credential headers of logged HTTP requests. Defence in depth:
 * code must not log secrets in the first place; this catches the mistake when it does.
 */
export const redactPaths: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => [`req.headers["${header}"]`, `headers["${header}"]`]),
];

export const REDACTED = '[redacted]';
