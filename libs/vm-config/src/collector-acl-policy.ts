/**
 * The Consul ACL policy a collector's token needs, for one node: write its own facts and its own
 * catalog entry, read the catalog (to see whether its metadata changed), nothing else.
 */
export function collectorAclPolicy(node: string): string {
  return [
    `key_prefix "vm-config/${node}/" { policy = "write" }`,
    `node "${node}" { policy = "write" }`,
    `node_prefix "" { policy = "read" }`,
  ].join('\n');
}
