/** Vault's response envelope for logical reads and writes (`GET /v1/<mount>/<path>`). */
export interface VaultResponse<T = Record<string, unknown>> {
  request_id: string;
  /** Empty for secrets without a lease (KV). */
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: T;
  warnings: string[] | null;
  wrap_info: Record<string, unknown> | null;
  auth: Record<string, unknown> | null;
}

/** One KV v2 version's metadata, as `data/` reads and writes return it. */
export interface KvV2VersionMetadata {
  version: number;
  created_time: string;
  /** Empty unless this version was soft-deleted. */
  deletion_time: string;
  destroyed: boolean;
  custom_metadata?: Record<string, string> | null;
}

export interface KvV2Secret<T = Record<string, unknown>> {
  data: T;
  metadata: KvV2VersionMetadata;
}

/** `GET /v1/<mount>/metadata/<path>`: the secret's version history and settings. */
export interface KvV2Metadata {
  current_version: number;
  oldest_version: number;
  max_versions: number;
  cas_required: boolean;
  delete_version_after: string;
  created_time: string;
  updated_time: string;
  custom_metadata: Record<string, string> | null;
  versions: Record<string, { created_time: string; deletion_time: string; destroyed: boolean }>;
}

/** `POST /v1/<mount>/metadata/<path>`. */
export interface KvV2MetadataUpdate {
  max_versions?: number;
  cas_required?: boolean;
  /** Go duration, e.g. `768h`; `0s` keeps versions forever. */
  delete_version_after?: string;
  custom_metadata?: Record<string, string>;
}

/** `PUT /v1/sys/leases/renew`. */
export interface LeaseInfo {
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
}
