import type { SecureContextOptions } from 'node:tls';
import {
  caBundle,
  CaBundlePublisher,
  clientNodeWebhookConfigurations,
  CertificateRotation,
  unrefScheduler,
  WebhookCaBundleWriter,
  type CaBundleWriteResult,
  type Scheduler,
  type ServingState,
  type WebhookConfigurations,
} from '@opzero/kube';

// main.ts loads this module lazily; it reaches the Kubernetes client only through here.
export { clientNodeWebhookConfigurations };
import type { KeyPair } from './serving-certificate';

const HOUR_MS = 3600_000;
/** setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A renewal that failed (key generation cannot fail in practice, but never let it stop renewing) retries after this. */
const RENEWAL_RETRY_MS = 60_000;

export interface AutoCertificateOptions {
  /** DNS names / IPs of the serving certificate (127.0.0.1 is added). */
  hosts: readonly string[];
  validityHours: number;
  caValidityHours: number;
  /** MutatingWebhookConfiguration that receives the CA bundle. */
  webhookConfigName: string;
  /** The Kubernetes client, created on first write so a missing kubeconfig is a logged, retried failure. */
  configurations: () => Promise<WebhookConfigurations>;
  clock?: () => Date;
  schedule?: Scheduler;
}

/** The part of a Node TLS server auto mode needs. */
export interface SecureContextTarget {
  setSecureContext(options: SecureContextOptions): void;
}

/**
 * Structured logging, as nestjs-pino's Logger provides it. Its last string argument is the
 * component (pino's `context`); without it the message itself would be taken for the context.
 */
export interface AutoCertificateLog {
  log(fields: object, message: string, context: string): void;
  warn(fields: object, message: string, context: string): void;
}

const CONTEXT = 'AutoCertificate';

/**
 * Auto TLS: a generated CA and serving certificate, renewed at 2/3 of its lifetime, with the
 * CA bundle kept current in the MutatingWebhookConfiguration. Nothing here throws once started:
 * a failed bundle write is retried with backoff, a failed renewal is retried, and the server
 * keeps serving its current certificate meanwhile.
 */
export class AutoCertificate {
  private timerCancel: (() => void) | undefined;
  private publisher: CaBundlePublisher | undefined;
  private stopped = false;

  private constructor(
    private readonly options: AutoCertificateOptions,
    private readonly rotation: CertificateRotation,
    private state: ServingState,
    private readonly clock: () => Date,
    private readonly schedule: Scheduler,
  ) {}

  /** Generates the first CA and serving certificate (before the server starts, which needs them). */
  static async create(options: AutoCertificateOptions): Promise<AutoCertificate> {
    const clock = options.clock ?? (() => new Date());
    const rotation = new CertificateRotation({
      caCommonName: 'opzero-injector-ca',
      commonName: options.hosts[0] ?? 'opzero-injector',
      hosts: [...new Set([...options.hosts, '127.0.0.1'])],
      caValidityMs: options.caValidityHours * HOUR_MS,
      leafValidityMs: options.validityHours * HOUR_MS,
    });
    const state = await rotation.initial(clock());
    return new AutoCertificate(options, rotation, state, clock, options.schedule ?? unrefScheduler);
  }

  /** The current serving key pair. */
  keyPair(): KeyPair {
    return { cert: this.state.leaf.cert, key: this.state.leaf.key };
  }

  /** The CA bundle (PEM) the API server should trust now. */
  caBundle(): string {
    return caBundle(this.state, this.clock());
  }

  /** When the serving certificate will be replaced. */
  renewalAt(): Date {
    return this.rotation.renewalAt(this.state);
  }

  /** Publishes the CA bundle and keeps `server`'s certificate renewed. Returns after the first write attempt. */
  async start(server: SecureContextTarget, log: AutoCertificateLog): Promise<void> {
    // Built on first write and kept; a factory that failed (no kubeconfig yet) is tried again on the next retry.
    let configurations: WebhookConfigurations | undefined;
    const writer = {
      write: async (name: string, pem: string): Promise<CaBundleWriteResult> => {
        configurations ??= await this.options.configurations();
        return new WebhookCaBundleWriter(configurations).write(name, pem);
      },
    };
    this.publisher = new CaBundlePublisher({
      writer,
      configurationName: this.options.webhookConfigName,
      schedule: this.schedule,
      onWritten: (result) => log.log({ ...result }, 'CA bundle written into the MutatingWebhookConfiguration', CONTEXT),
      onFailure: (error, attempt, retryInMs) =>
        log.warn(
          { error: error.message, configuration: this.options.webhookConfigName, attempt, retryInMs },
          'CA bundle not written into the MutatingWebhookConfiguration; retrying (the API server cannot call the webhook until it is)',
          CONTEXT,
        ),
    });
    this.scheduleRenewal(server, log, this.renewalAt());
    await this.publisher.publish(this.caBundle());
  }

  /** Stops renewals and bundle retries (shutdown, tests). */
  stop(): void {
    this.stopped = true;
    this.timerCancel?.();
    this.publisher?.stop();
  }

  private scheduleRenewal(server: SecureContextTarget, log: AutoCertificateLog, at: Date): void {
    if (this.stopped) return;
    const delay = Math.max(0, at.getTime() - this.clock().getTime());
    this.timerCancel = this.schedule(
      () => (delay > MAX_TIMER_MS ? this.scheduleRenewal(server, log, at) : void this.renew(server, log)),
      Math.min(delay, MAX_TIMER_MS),
    );
  }

  private async renew(server: SecureContextTarget, log: AutoCertificateLog): Promise<void> {
    try {
      const now = this.clock();
      const previousCa = this.state.ca;
      this.state = await this.rotation.renew(this.state, now);
      server.setSecureContext(this.keyPair());
      log.log(
        { notAfter: this.state.leaf.notAfter.toISOString(), caRotated: this.state.ca !== previousCa, caStaged: this.state.nextCa !== undefined },
        'serving certificate renewed',
        CONTEXT,
      );
      this.scheduleRenewal(server, log, this.renewalAt());
      await this.publisher?.publish(this.caBundle());
    } catch (error) {
      log.warn({ error: (error as Error).message, retryInMs: RENEWAL_RETRY_MS }, 'serving certificate not renewed; keeping the current one and retrying', CONTEXT);
      this.scheduleRenewal(server, log, new Date(this.clock().getTime() + RENEWAL_RETRY_MS));
    }
  }
}
