import type { JsonPatchOperation, WebhookConfigurationView, WebhookConfigurations } from './webhook-configurations';

/** What a write did: how many webhooks changed (0 when every caBundle already matched). */
export interface CaBundleWriteResult {
  configuration: string;
  webhooksPatched: number;
}

/** base64 of a PEM bundle, as `clientConfig.caBundle` holds it. */
export function encodeCaBundle(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

/**
 * JSON patch that sets `clientConfig.caBundle` on every webhook whose bundle differs. Each
 * changed index is preceded by a `test` of the webhook's name, so a configuration whose webhooks
 * were reordered or removed between our read and our patch is rejected (422) instead of
 * getting a bundle on the wrong entry; the next retry reads again.
 */
export function caBundlePatch(configuration: WebhookConfigurationView, pem: string): JsonPatchOperation[] {
  const caBundle = encodeCaBundle(pem);
  return configuration.webhooks.flatMap((webhook, index): JsonPatchOperation[] =>
    webhook.caBundle === caBundle
      ? []
      : [
          { op: 'test', path: `/webhooks/${index}/name`, value: webhook.name },
          // `add` sets the member whether or not it exists yet (RFC 6902 4.1); clientConfig
          // itself is required by the API, so its parent is always there.
          { op: 'add', path: `/webhooks/${index}/clientConfig/caBundle`, value: caBundle },
        ],
  );
}

/** Writes a PEM CA bundle into every webhook of a MutatingWebhookConfiguration; no write when all match. */
export class WebhookCaBundleWriter {
  constructor(private readonly configurations: WebhookConfigurations) {}

  /** Reads the configuration, patches the webhooks whose caBundle differs from `pem`. */
  async write(configurationName: string, pem: string): Promise<CaBundleWriteResult> {
    const configuration = await this.configurations.get(configurationName);
    if (configuration.webhooks.length === 0) {
      throw new Error(`MutatingWebhookConfiguration ${configurationName} has no webhooks to give a caBundle; check its manifest`);
    }
    const operations = caBundlePatch(configuration, pem);
    if (operations.length > 0) await this.configurations.patch(configurationName, operations);
    return { configuration: configurationName, webhooksPatched: operations.filter((op) => op.op === 'add').length };
  }
}
