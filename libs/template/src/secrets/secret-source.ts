/**
 * Where `secret`, `secrets` and `pkiCert` get their data. The agent-renderer implements it
 * with libs/vault; tests implement it with plain HTTP. Bodies are the raw JSON text of
 * Vault's response so that numbers keep their exact text, as Go's json.Number does.
 */
export interface SecretSource {
  /** GET /v1/<path>?<query>; the body, or null when Vault answers 404. */
  read(path: string, query?: Readonly<Record<string, string>>): Promise<string | null>;
  /** LIST /v1/<path>; the body, or null when Vault answers 404. */
  list(path: string): Promise<string | null>;
  /** PUT /v1/<path> with a JSON body; the body, or null when Vault answers 204/404. */
  write(path: string, data: Readonly<Record<string, unknown>>): Promise<string | null>;
}
