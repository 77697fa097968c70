/** One RFC 6902 operation of the kind the caBundle writer emits. */
export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'test';
  path: string;
  value: unknown;
}

/** What the writer needs to know about one webhook of a MutatingWebhookConfiguration. */
export interface WebhookClientConfig {
  name: string;
  /** base64 of the PEM bundle; undefined when the webhook has none yet. */
  caBundle: string | undefined;
}

/** A MutatingWebhookConfiguration as far as the caBundle writer cares. */
export interface WebhookConfigurationView {
  name: string;
  /** Optimistic concurrency token; a JSON patch may `test` nothing else, so it is informational. */
  resourceVersion: string | undefined;
  webhooks: WebhookClientConfig[];
}

/**
 * The two Kubernetes calls the caBundle writer makes, behind our own interface so the writer
 * is tested without an API server and the client library stays in one file.
 */
export interface WebhookConfigurations {
  /** Reads the named MutatingWebhookConfiguration. */
  get(name: string): Promise<WebhookConfigurationView>;
  /** Applies a JSON patch (application/json-patch+json) to the named configuration. */
  patch(name: string, operations: JsonPatchOperation[]): Promise<void>;
}
