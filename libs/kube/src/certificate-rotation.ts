import {
  generateCertificateAuthority,
  issueServingCertificate,
  type IssuedCertificate,
} from './certificate-authority';

const HOUR_MS = 60 * 60 * 1000;

export interface RotationPolicy {
  /** Common name of generated CAs; a timestamp is appended so successive CAs are told apart. */
  caCommonName: string;
  /** Common name of the serving certificate. */
  commonName: string;
  /** DNS names and IPs of the serving certificate. */
  hosts: readonly string[];
  caValidityMs: number;
  leafValidityMs: number;
  /** Fraction of a serving certificate's lifetime after which it is replaced (2/3). */
  renewAtFraction?: number;
  /** notBefore is backdated by this much, so an API server whose clock is behind ours accepts it. */
  clockSkewMs?: number;
}

/** The certificates an auto-TLS server holds between two renewals. */
export interface ServingState {
  /** Signs the serving certificate. */
  ca: IssuedCertificate;
  /** Generated ahead of the current CA's expiry and published before it signs anything. */
  nextCa: IssuedCertificate | undefined;
  /** The CA before a rotation, kept in the bundle until it expires. */
  previousCa: IssuedCertificate | undefined;
  leaf: IssuedCertificate;
  /** When the serving certificate was issued (its notBefore is backdated by the skew). */
  issuedAt: Date;
}

export interface CertificateIssuer {
  ca(request: Parameters<typeof generateCertificateAuthority>[0]): Promise<IssuedCertificate>;
  leaf(ca: IssuedCertificate, request: Parameters<typeof issueServingCertificate>[1]): Promise<IssuedCertificate>;
}

const selfsignedIssuer: CertificateIssuer = { ca: generateCertificateAuthority, leaf: issueServingCertificate };

/** When a certificate issued at `issuedAt` and expiring at `notAfter` should be replaced. */
export function renewalTime(issuedAt: Date, notAfter: Date, fraction = 2 / 3): Date {
  return new Date(issuedAt.getTime() + (notAfter.getTime() - issuedAt.getTime()) * fraction);
}

/** The CA bundle (PEM) that validates every serving certificate this state has served or will serve. */
export function caBundle(state: ServingState, now: Date): string {
  return [state.ca, state.nextCa, state.previousCa]
    .filter((ca): ca is IssuedCertificate => ca !== undefined && ca.notAfter > now)
    .map((ca) => ca.cert.trim())
    .join('\n')
    .concat('\n');
}

/**
 * Issues and renews a CA and serving certificate.
 *
 * CA rotation is staged so the API server never meets a serving certificate from a CA it does
 * not trust yet: when the CA has less than two serving lifetimes left, a new CA is generated and
 * put into the bundle (old + new) while the old CA keeps signing; only at the next renewal,
 * a full renewal period later, does the new CA sign, and the old one stays in the bundle until
 * it expires, so connections still holding the previous certificate keep validating.
 */
export class CertificateRotation {
  private readonly fraction: number;
  private readonly skewMs: number;

  constructor(
    private readonly policy: RotationPolicy,
    private readonly issuer: CertificateIssuer = selfsignedIssuer,
  ) {
    this.fraction = policy.renewAtFraction ?? 2 / 3;
    this.skewMs = policy.clockSkewMs ?? 5 * 60 * 1000;
    if (policy.caValidityMs < 3 * policy.leafValidityMs) {
      throw new Error(
        `CA validity (${policy.caValidityMs / HOUR_MS} h) must be at least three serving-certificate lifetimes (${(3 * policy.leafValidityMs) / HOUR_MS} h) for staged CA rotation`,
      );
    }
  }

  /** A fresh CA and serving certificate. */
  async initial(now: Date): Promise<ServingState> {
    const ca = await this.newCa(now);
    return { ca, nextCa: undefined, previousCa: undefined, leaf: await this.newLeaf(ca, now), issuedAt: now };
  }

  /** The state after a renewal at `now`: a new serving certificate, and a CA staged, promoted or replaced as due. */
  async renew(state: ServingState, now: Date): Promise<ServingState> {
    let { ca, nextCa, previousCa } = state;
    if (nextCa) {
      [previousCa, ca, nextCa] = [ca, nextCa, undefined];
    } else if (ca.notAfter.getTime() - now.getTime() < this.policy.leafValidityMs) {
      // Too late to stage (the process slept through a renewal, or the clock jumped): rotate now;
      // the bundle still carries the old CA for connections that hold its certificate.
      [previousCa, ca] = [ca, await this.newCa(now)];
    } else if (ca.notAfter.getTime() - now.getTime() < 2 * this.policy.leafValidityMs) {
      nextCa = await this.newCa(now);
    }
    if (previousCa && previousCa.notAfter <= now) previousCa = undefined;
    return { ca, nextCa, previousCa, leaf: await this.newLeaf(ca, now), issuedAt: now };
  }

  /** When `state`'s serving certificate is due for renewal. */
  renewalAt(state: ServingState): Date {
    return renewalTime(state.issuedAt, state.leaf.notAfter, this.fraction);
  }

  private newCa(now: Date): Promise<IssuedCertificate> {
    return this.issuer.ca({
      commonName: `${this.policy.caCommonName}@${Math.floor(now.getTime() / 1000)}`,
      notBefore: new Date(now.getTime() - this.skewMs),
      notAfter: new Date(now.getTime() + this.policy.caValidityMs),
    });
  }

  private newLeaf(ca: IssuedCertificate, now: Date): Promise<IssuedCertificate> {
    const notAfter = Math.min(now.getTime() + this.policy.leafValidityMs, ca.notAfter.getTime());
    return this.issuer.leaf(ca, {
      commonName: this.policy.commonName,
      hosts: this.policy.hosts,
      notBefore: new Date(now.getTime() - this.skewMs),
      notAfter: new Date(notAfter),
    });
  }
}
