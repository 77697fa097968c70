/** The `auth` block of a login or renew-self: the token and what it may do. Never log it. */
export interface VaultAuth {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  metadata: Record<string, string> | null;
  /** Seconds until the token expires (0: never). */
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: string;
  orphan: boolean;
}

/** `GET /v1/auth/token/lookup-self`, `data`. `id` is the token itself: never log it. */
export interface TokenLookup {
  id: string;
  accessor: string;
  policies: string[];
  /** Seconds left. */
  ttl: number;
  creation_ttl: number;
  /** RFC 3339, or null for tokens that never expire. */
  expire_time: string | null;
  renewable: boolean;
  display_name: string;
  meta: Record<string, string> | null;
  num_uses: number;
  orphan: boolean;
  path: string;
  type: string;
  entity_id: string;
}

/** `POST /v1/auth/<mount>/login` for the kubernetes method. */
export interface KubernetesLogin {
  role: string;
  /** The service account token (projected or legacy). */
  jwt: string;
  /** Auth mount path (default `kubernetes`). */
  mount?: string;
}

/** `POST /v1/auth/<mount>/login` for the jwt/oidc method. */
export interface JwtLogin {
  /** Omit to use the mount's default role. */
  role?: string;
  jwt: string;
  /** Auth mount path (default `jwt`). */
  mount?: string;
}

/** `POST /v1/auth/<mount>/login` for the approle method. */
export interface AppRoleLogin {
  roleId: string;
  /** Omit for roles with `bind_secret_id=false`. */
  secretId?: string;
  /** Auth mount path (default `approle`). */
  mount?: string;
}
