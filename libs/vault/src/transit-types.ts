/** `POST /v1/<mount>/keys/<name>`. */
export interface TransitKeyRequest {
  /** `aes256-gcm96` (default), `chacha20-poly1305`, `rsa-4096`, ... */
  type?: string;
  exportable?: boolean;
  allow_plaintext_backup?: boolean;
  /** Key derivation: each call then needs a `context`. */
  derived?: boolean;
  auto_rotate_period?: string;
}

/** Options of transit encrypt and decrypt. */
export interface TransitOptions {
  /** Transit mount path (default `transit`). */
  mount?: string;
  /** Key-derivation context, for derived keys. */
  context?: Buffer;
  /** AEAD associated data (`associated_data`): authenticated, not encrypted; decrypt needs the same bytes. */
  associatedData?: Buffer;
  /** Encrypt with this key version (default: the latest). */
  keyVersion?: number;
}
