import { z } from 'zod';
import { durationMs, serverAddress, timestamp } from '../common.schema';

/** Identifies one Vault node; the key of every seal event so a node's events stay ordered. */
const vaultNode = {
  /** The node's API address, e.g. `https://vault-0.vault-internal:8200`. */
  node: serverAddress,
  /** The Vault cluster name, when the node reports one. */
  cluster: z.string().max(256).optional(),
};

/** Produced by unseal-keeper when it sees a node report `sealed: true`. */
export const sealedSchema = z
  .object({
    ...vaultNode,
    detectedAt: timestamp,
    initialized: z.boolean(),
    threshold: z.number().int().nonnegative(),
    shares: z.number().int().nonnegative(),
    /** Unseal shares already submitted to the node (its progress). */
    progress: z.number().int().nonnegative(),
    version: z.string().max(64).optional(),
  })
  .strict();

/** Produced by unseal-keeper after it unsealed a node. */
export const unsealedSchema = z
  .object({
    ...vaultNode,
    unsealedAt: timestamp,
    /** From the `sealed` detection to `sealed: false`. */
    durationMs,
    sharesUsed: z.number().int().positive(),
  })
  .strict();

/** Why an unseal attempt failed; a closed set so consumers can alert on it. */
export const unsealFailureReason = z.enum([
  'node-unreachable',
  'kms-unavailable',
  'shares-missing',
  'shares-rejected',
  'not-initialized',
  'timeout',
]);

/** Produced by unseal-keeper when an unseal attempt failed; it retries after this. */
export const unsealFailedSchema = z
  .object({
    ...vaultNode,
    failedAt: timestamp,
    reason: unsealFailureReason,
    /** A human-readable explanation without any share or key material. */
    message: z.string().max(2048),
    attempt: z.number().int().positive(),
  })
  .strict();

export type Sealed = z.infer<typeof sealedSchema>;
export type Unsealed = z.infer<typeof unsealedSchema>;
export type UnsealFailed = z.infer<typeof unsealFailedSchema>;

/** Ordering per Vault node. */
export const vaultNodeKey = (event: { node: string }): string => event.node;
