import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { caBundlePatch, encodeCaBundle, WebhookCaBundleWriter } from './webhook-ca-bundle.writer';
import type { JsonPatchOperation, WebhookConfigurationView, WebhookConfigurations } from './webhook-configurations';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

interface StoredWebhook {
  name: string;
  clientConfig: { service: { name: string; namespace: string }; caBundle?: string };
}

/** An in-memory MutatingWebhookConfiguration store that applies JSON patches as the API server does. */
class FakeWebhookConfigurations implements WebhookConfigurations {
  readonly patches: { name: string; operations: JsonPatchOperation[] }[] = [];
  constructor(public stored: { metadata: { name: string }; webhooks: StoredWebhook[] }) {}

  async get(name: string): Promise<WebhookConfigurationView> {
    return {
      name,
      resourceVersion: '1',
      webhooks: this.stored.webhooks.map((w) => ({ name: w.name, caBundle: w.clientConfig.caBundle })),
    };
  }

  async patch(name: string, operations: JsonPatchOperation[]): Promise<void> {
    this.patches.push({ name, operations });
    // validateOperation=true makes a failed `test` throw, like the API server's 422.
    this.stored = applyPatch(deepClone(this.stored), operations as Operation[], true).newDocument;
  }
}

const webhook = (name: string, caBundle?: string): StoredWebhook => ({
  name,
  clientConfig: { service: { name: 'opzero-injector', namespace: 'opzero' }, ...(caBundle === undefined ? {} : { caBundle }) },
});

describe('caBundlePatch', () => {
  it.each([
    {
      case: 'two webhooks without a bundle',
      webhooks: [{ name: 'a', caBundle: undefined }, { name: 'b', caBundle: undefined }],
      expected: [
        { op: 'test', path: '/webhooks/0/name', value: 'a' },
        { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: encodeCaBundle(PEM) },
        { op: 'test', path: '/webhooks/1/name', value: 'b' },
        { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: encodeCaBundle(PEM) },
      ],
    },
    {
      case: 'only the stale one of two',
      webhooks: [{ name: 'a', caBundle: encodeCaBundle(PEM) }, { name: 'b', caBundle: encodeCaBundle('old') }],
      expected: [
        { op: 'test', path: '/webhooks/1/name', value: 'b' },
        { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: encodeCaBundle(PEM) },
      ],
    },
    { case: 'nothing when all match', webhooks: [{ name: 'a', caBundle: encodeCaBundle(PEM) }], expected: [] },
  ])('$case', ({ webhooks, expected }) => {
    expect(caBundlePatch({ name: 'opzero-injector', resourceVersion: '1', webhooks }, PEM)).toEqual(expected);
  });

  it('encodes the PEM as base64, as clientConfig.caBundle holds it', () => {
    expect(Buffer.from(encodeCaBundle(PEM), 'base64').toString('utf8')).toBe(PEM);
  });
});

describe('WebhookCaBundleWriter', () => {
  it('sets the caBundle of every webhook of a two-webhook configuration', async () => {
    const fake = new FakeWebhookConfigurations({ metadata: { name: 'opzero-injector' }, webhooks: [webhook('a'), webhook('b', 'c3RhbGU=')] });
    const result = await new WebhookCaBundleWriter(fake).write('opzero-injector', PEM);
    expect(result).toEqual({ configuration: 'opzero-injector', webhooksPatched: 2 });
    expect(fake.patches).toHaveLength(1);
    expect(fake.patches[0]?.name).toBe('opzero-injector');
    expect(fake.stored.webhooks.map((w) => w.clientConfig.caBundle)).toEqual([encodeCaBundle(PEM), encodeCaBundle(PEM)]);
    // The rest of clientConfig is untouched.
    expect(fake.stored.webhooks[1]?.clientConfig.service).toEqual({ name: 'opzero-injector', namespace: 'opzero' });
  });

  it('does not patch when every caBundle already matches (idempotent)', async () => {
    const fake = new FakeWebhookConfigurations({ metadata: { name: 'x' }, webhooks: [webhook('a'), webhook('b')] });
    const writer = new WebhookCaBundleWriter(fake);
    await writer.write('x', PEM);
    const second = await writer.write('x', PEM);
    expect(second.webhooksPatched).toBe(0);
    expect(fake.patches).toHaveLength(1);
  });

  it('names the configuration when it has no webhooks', async () => {
    const fake = new FakeWebhookConfigurations({ metadata: { name: 'empty' }, webhooks: [] });
    await expect(new WebhookCaBundleWriter(fake).write('empty', PEM)).rejects.toThrow(/MutatingWebhookConfiguration empty has no webhooks/);
    expect(fake.patches).toHaveLength(0);
  });

  it('is refused when the webhooks were reordered between read and patch', async () => {
    const fake = new FakeWebhookConfigurations({ metadata: { name: 'x' }, webhooks: [webhook('a'), webhook('b')] });
    const view = await fake.get('x');
    fake.stored.webhooks.reverse();
    await expect(fake.patch('x', caBundlePatch(view, PEM))).rejects.toThrow();
    expect(fake.stored.webhooks.every((w) => w.clientConfig.caBundle === undefined)).toBe(true);
  });
});
