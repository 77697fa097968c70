import { X509Certificate } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import type { JsonPatchOperation, Scheduler, WebhookConfigurationView, WebhookConfigurations } from '@opzero/kube';
import { AutoCertificate, type AutoCertificateLog } from './auto-certificate';

const HOUR = 3600_000;

/** A settable clock and a timer queue the test advances by hand. */
function manualTime(start: Date) {
  let now = start.getTime();
  const timers: { at: number; task: () => void; cancelled: boolean }[] = [];
  const schedule: Scheduler = (task, delayMs) => {
    const timer = { at: now + delayMs, task, cancelled: false };
    timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  /**
   * Moves the clock to the next live timer and runs it, then waits (real time: key generation is
   * asynchronous) until `until` holds and the bundle write has settled; returns the delay it waited.
   */
  const fireNext = async (until: () => boolean = () => true): Promise<number> => {
    const live = timers.filter((t) => !t.cancelled).sort((a, b) => a.at - b.at);
    const next = live[0];
    if (!next) throw new Error('no timer pending');
    timers.splice(timers.indexOf(next), 1);
    const waited = next.at - now;
    now = next.at;
    next.task();
    const deadline = Date.now() + 10_000;
    while (!until()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the timer task to take effect');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    return waited;
  };
  return { clock: () => new Date(now), schedule, fireNext, pending: () => timers.filter((t) => !t.cancelled).map((t) => t.at - now) };
}

/** Our WebhookConfigurations interface over an in-memory two-webhook configuration. */
class FakeConfigurations implements WebhookConfigurations {
  caBundles: (string | undefined)[] = [undefined, undefined];
  patches: JsonPatchOperation[][] = [];
  failuresLeft = 0;
  async get(name: string): Promise<WebhookConfigurationView> {
    return { name, resourceVersion: '1', webhooks: this.caBundles.map((caBundle, i) => ({ name: `w${i}.opzero.io`, caBundle })) };
  }
  async patch(_name: string, operations: JsonPatchOperation[]): Promise<void> {
    if (this.failuresLeft-- > 0) throw new Error('mutatingwebhookconfigurations.admissionregistration.k8s.io is forbidden');
    this.patches.push(operations);
    for (const op of operations) {
      const index = /^\/webhooks\/(\d+)\/clientConfig\/caBundle$/.exec(op.path)?.[1];
      if (index !== undefined) this.caBundles[Number(index)] = op.value as string;
    }
  }
}

const recordingLog = () => {
  const lines: { level: string; fields: object; message: string }[] = [];
  const log: AutoCertificateLog = {
    log: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
  };
  return { log, lines };
};

const certificatesIn = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
const decodedBundle = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

describe('AutoCertificate', () => {
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  async function setUp(fake = new FakeConfigurations()) {
    const time = manualTime(start);
    const auto = await AutoCertificate.create({
      hosts: ['opzero-injector', 'opzero-injector.opzero', 'opzero-injector.opzero.svc'],
      validityHours: 30,
      caValidityHours: 90,
      webhookConfigName: 'opzero-injector',
      configurations: async () => fake,
      clock: time.clock,
      schedule: time.schedule,
    });
    stop = () => auto.stop();
    const contexts: SecureContextOptions[] = [];
    const { log, lines } = recordingLog();
    return { auto, time, fake, contexts, lines, server: { setSecureContext: (o: SecureContextOptions) => contexts.push(o) }, log };
  }

  it('serves a certificate for the hosts and 127.0.0.1, signed by the CA in the bundle, valid as configured', async () => {
    const { auto } = await setUp();
    const leaf = new X509Certificate(auto.keyPair().cert);
    const [ca] = certificatesIn(auto.caBundle());
    expect(certificatesIn(auto.caBundle())).toHaveLength(1);
    expect(leaf.verify(new X509Certificate(ca!).publicKey)).toBe(true);
    for (const host of ['opzero-injector', 'opzero-injector.opzero', 'opzero-injector.opzero.svc']) expect(leaf.checkHost(host)).toBe(host);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(new Date(leaf.validTo).getTime()).toBe(start.getTime() + 30 * HOUR);
    expect(auto.renewalAt()).toEqual(new Date(start.getTime() + 20 * HOUR));
  });

  it('writes the CA bundle into every webhook, and renews at 2/3 of the validity with a new secure context', async () => {
    const { auto, time, fake, contexts, server, log } = await setUp();
    await auto.start(server, log);
    expect(fake.caBundles.map(decodedBundle)).toEqual([auto.caBundle(), auto.caBundle()]);

    expect(await time.fireNext(() => contexts.length === 1)).toBe(20 * HOUR);
    const renewed = new X509Certificate(contexts[0]!.cert as string);
    expect(new Date(renewed.validTo).getTime()).toBe(start.getTime() + 50 * HOUR);
    expect(auto.keyPair().cert).toBe(contexts[0]!.cert);
    // Same CA: the bundle did not change, so nothing was patched again.
    expect(fake.patches).toHaveLength(1);
    expect(time.pending()).toEqual([20 * HOUR]);
  });

  it('publishes old+new CA before the new CA signs, and keeps both after the switch', async () => {
    const { auto, time, fake, contexts, server, log } = await setUp();
    await auto.start(server, log);
    const [firstCa] = certificatesIn(auto.caBundle());
    await time.fireNext(() => contexts.length === 1); // 20 h: CA has 70 h left
    await time.fireNext(() => contexts.length === 2); // 40 h: 50 h left, a new CA is staged
    const staged = certificatesIn(decodedBundle(fake.caBundles[0]));
    expect(staged).toHaveLength(2);
    expect(staged[0]).toBe(firstCa);
    expect(new X509Certificate(contexts[1]!.cert as string).verify(new X509Certificate(firstCa!).publicKey)).toBe(true);

    await time.fireNext(() => contexts.length === 3); // 60 h: the staged CA signs
    const newCa = staged[1]!;
    expect(new X509Certificate(contexts[2]!.cert as string).verify(new X509Certificate(newCa).publicKey)).toBe(true);
    const bundle = certificatesIn(decodedBundle(fake.caBundles[1]));
    expect(bundle).toEqual([newCa, firstCa]);
  });

  it('logs a failed bundle write and retries it with backoff, without throwing', async () => {
    const fake = new FakeConfigurations();
    fake.failuresLeft = 2;
    const { auto, time, lines, server, log } = await setUp(fake);
    await expect(auto.start(server, log)).resolves.toBeUndefined();
    expect(fake.caBundles).toEqual([undefined, undefined]);
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { attempt: 1, retryInMs: 1000, configuration: 'opzero-injector' } });
    expect(lines[0]!.fields).toHaveProperty('error', expect.stringMatching(/forbidden/));

    expect(await time.fireNext()).toBe(1000);
    expect(await time.fireNext()).toBe(2000);
    expect(fake.caBundles.map(decodedBundle)).toEqual([auto.caBundle(), auto.caBundle()]);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'info']);
  });

  it('retries building the Kubernetes client when it could not be built', async () => {
    const time = manualTime(start);
    const fake = new FakeConfigurations();
    let builds = 0;
    const auto = await AutoCertificate.create({
      hosts: ['opzero-injector'],
      validityHours: 30,
      caValidityHours: 90,
      webhookConfigName: 'opzero-injector',
      configurations: async () => {
        if (builds++ === 0) throw new Error('no in-cluster service account token');
        return fake;
      },
      clock: time.clock,
      schedule: time.schedule,
    });
    stop = () => auto.stop();
    const { log, lines } = recordingLog();
    await auto.start({ setSecureContext: () => undefined }, log);
    expect(lines[0]?.fields).toHaveProperty('error', 'no in-cluster service account token');
    await time.fireNext();
    expect(builds).toBe(2);
    expect(decodedBundle(fake.caBundles[0])).toBe(auto.caBundle());
  });

  it('waits in steps no longer than the largest timer for long validities', async () => {
    const time = manualTime(start);
    const auto = await AutoCertificate.create({
      hosts: ['opzero-injector'],
      validityHours: 24 * 90,
      caValidityHours: 24 * 365,
      webhookConfigName: 'opzero-injector',
      configurations: async () => new FakeConfigurations(),
      clock: time.clock,
      schedule: time.schedule,
    });
    stop = () => auto.stop();
    const contexts: SecureContextOptions[] = [];
    const { log } = recordingLog();
    await auto.start({ setSecureContext: (o) => contexts.push(o) }, log);
    const waits = [await time.fireNext(), await time.fireNext(), await time.fireNext(() => contexts.length === 1)];
    expect(waits.every((ms) => ms <= 2 ** 31 - 1)).toBe(true);
    expect(waits.reduce((a, b) => a + b)).toBe(60 * 24 * HOUR);
    expect(contexts).toHaveLength(1);
  });
});
