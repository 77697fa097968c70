import { z } from 'zod';
import { timestamp, vaultPath } from '../common.schema';

/**
 * Produced by the agent-renderer service when a watched secret path has a new version (KV v2
 * version change, or a new lease for a dynamic secret). Carries identifiers, never data.
 */
export const secretRotatedSchema = z
  .object({
    path: vaultPath,
    /** KV v2 mounts: the path's version; dynamic secrets: omitted. */
    version: z.number().int().positive().optional(),
    previousVersion: z.number().int().positive().optional(),
    /** Lease id of a dynamic secret (an identifier, not a credential). */
    leaseId: z.string().max(1024).optional(),
    kind: z.enum(['kv-v1', 'kv-v2', 'dynamic']),
    /** When Vault recorded the change (KV v2 created_time), if known. */
    changedAt: timestamp.optional(),
    detectedAt: timestamp,
    /** Number of indexed pods that render this path at the time of detection. */
    podCount: z.number().int().nonnegative(),
    /**
     * Of those, pods annotated `opzero.io/restart-on-rotate` that have no owning workload (bare
     * pods): they cannot be rolled, and nothing is restarted or deleted for them.
     */
    barePods: z.number().int().nonnegative().optional(),
  })
  .strict();

export type SecretRotated = z.infer<typeof secretRotatedSchema>;

/** Ordering per secret path, so versions of one path are consumed in order. */
export const secretRotatedKey = (event: SecretRotated): string => event.path;
