import { posix } from 'node:path';

/**
 * Why a path relative to the secrets volume is unsafe, or undefined when it is safe. A file
 * that escapes the volume would let a pod's annotations make the agent write anywhere in its
 * own filesystem (vault-k8s joins the path unchecked).
 */
export function unsafeRelativePath(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL byte';
  if (value.startsWith('/')) return 'is an absolute path; give a path relative to the secrets volume (e.g. config/db.env)';
  if (value.split('/').includes('..')) return 'escapes the secrets volume with ".."; give a path inside it (e.g. config/db.env)';
  const cleaned = posix.normalize(value);
  if (cleaned === '.' || cleaned === '' || cleaned.endsWith('/')) return 'names no file; give a file name (e.g. db.env)';
  return undefined;
}

/** Why a volume mount path is unusable, or undefined when it is an absolute, clean path. */
export function unsafeMountPath(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL byte';
  if (!value.startsWith('/')) return 'is not an absolute path (e.g. /vault/secrets)';
  if (value.split('/').includes('..')) return 'contains ".."; give a clean absolute path (e.g. /vault/secrets)';
  if (value.includes(':')) return 'contains ":", which Kubernetes does not allow in a mount path';
  return undefined;
}

/** Why a secret NAME cannot be a file name, or undefined. */
export function unsafeSecretName(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL byte';
  if (value.includes('/')) return 'contains "/"; a secret NAME is a file name';
  if (value === '.' || value === '..') return 'is not a file name; use letters, digits, "-", "_" or "."';
  return undefined;
}
