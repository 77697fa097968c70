import { z } from 'zod';
import { timestamp } from '../common.schema';

/**
 * Produced by the vm-config-collector service when a VM's facts in Consul KV change
 * (`vm-config/<node>`). Says which fact groups changed; consumers read the facts from Consul.
 */
export const vmconfigCollectedSchema = z
  .object({
    node: z.string().min(1).max(253),
    /** The Consul KV key holding the facts. */
    kvKey: z.string().min(1).max(512),
    /** Consul's ModifyIndex of that key, increasing per change. */
    modifyIndex: z.number().int().nonnegative(),
    /** Top-level fact groups that differ from the previous version (`platform`, `network`...). */
    changed: z.array(z.string().min(1).max(128)).max(256),
    /** First time this node was seen. */
    firstSeen: z.boolean(),
    /** sha256 of the canonical JSON of the facts, to compare without reading them. */
    factsSha256: z.string().regex(/^[a-f0-9]{64}$/),
    collectedAt: timestamp,
  })
  .strict();

export type VmconfigCollected = z.infer<typeof vmconfigCollectedSchema>;

/** Ordering per VM node name. */
export const vmconfigCollectedKey = (event: VmconfigCollected): string => event.node;
