/** The @kubernetes/client-node module, loaded on first use (it is ESM-only; see client-node-webhook-configurations.ts). */
export type ClientNode = typeof import('@kubernetes/client-node');

/** Loads @kubernetes/client-node. */
export function loadClientNode(): Promise<ClientNode> {
  return import('@kubernetes/client-node');
}

/** The HTTP status of a client-node ApiException, or undefined for any other error. */
export function apiStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}
