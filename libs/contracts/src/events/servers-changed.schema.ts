import { z } from 'zod';
import { serverAddress, timestamp } from '../common.schema';

/**
 * Produced by the consul-gateway when the set of healthy Consul servers, or the leader,
 * changes. `servers` is the full new set, so a consumer never needs the previous event.
 */
export const serversChangedSchema = z
  .object({
    datacenter: z.string().min(1).max(128),
    servers: z
      .array(z.object({ address: serverAddress, healthy: z.boolean(), leader: z.boolean() }).strict())
      .max(64),
    added: z.array(serverAddress),
    removed: z.array(serverAddress),
    leader: serverAddress.optional(),
    previousLeader: serverAddress.optional(),
    changedAt: timestamp,
  })
  .strict();

export type ServersChanged = z.infer<typeof serversChangedSchema>;

/** Ordering per datacenter. */
export const serversChangedKey = (event: ServersChanged): string => event.datacenter;
