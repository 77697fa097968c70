import { z } from 'zod';

/** An RFC 3339 timestamp with an explicit offset, as every event time field carries it. */
export const timestamp = z.iso.datetime({ offset: true });

/** A Kubernetes object name (RFC 1123 subdomain, at most 253 characters). */
export const kubeName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 name');

/** A Vault API path such as `secret/data/app/db`; never a value. */
export const vaultPath = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^/\s][^\s]*$/, 'must be a relative Vault path without spaces')
  .refine((path) => !path.split('/').includes('..'), 'must not contain ".." segments');

/** The network address of a server: `https://10.0.0.5:8200`, `10.0.0.5:8300` or a DNS name. */
export const serverAddress = z.string().min(1).max(512);

/** Milliseconds, non-negative integer. */
export const durationMs = z.number().int().nonnegative();
