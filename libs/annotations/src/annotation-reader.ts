import type { AnnotationProblem } from './annotation-error';
import { isGoDuration, parseDecimalFloat, parseGoBool, parseGoInt, parseGoUint } from './go-values';
import { canonicalQuantity } from './quantity';

/** Kubernetes' largest user or group id. */
const MAX_ID = 2147483647n;

/**
 * Typed reads of one pod's annotations that record a problem (naming the key and the fix)
 * instead of stopping at the first one, so a denial lists everything to correct.
 */
export class AnnotationReader {
  readonly problems: AnnotationProblem[] = [];
  private readonly reported = new Set<string>();

  constructor(readonly annotations: Readonly<Record<string, string>>) {}

  has(key: string): boolean {
    return key in this.annotations;
  }

  /** The value, or '' when absent (vault-k8s reads absent keys as the empty string). */
  string(key: string): string {
    return this.annotations[key] ?? '';
  }

  problem(annotation: string, value: string | undefined, message: string): void {
    const id = `${annotation}\n${message}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.problems.push({ annotation, value, message });
  }

  /** The annotation parsed by `parse`; a value it rejects is reported with `message`. */
  private parsed<T>(key: string, fallback: T, parse: (raw: string) => T | undefined, message: string): T {
    const raw = this.annotations[key];
    if (raw === undefined) return fallback;
    const value = parse(raw);
    if (value === undefined) {
      this.problem(key, raw, message);
      return fallback;
    }
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    return this.parsed(key, fallback, parseGoBool, 'is not a boolean (use "true" or "false")');
  }

  /** A signed integer; '' reads as 0 where vault-k8s (parseutil.ParseInt) does so. */
  int(key: string, fallback: bigint, emptyIsZero = false): bigint {
    return this.parsed(key, fallback, (raw) => parseGoInt(raw, emptyIsZero), 'is not an integer (e.g. 1000)');
  }

  /**
   * A Linux user or group id within Kubernetes' range (0 to 2147483647). An empty value is a
   * mistake, not a request for root (vault-k8s reads it as 0), so it is reported.
   */
  id(key: string, fallback: bigint, kind: 'user' | 'group'): bigint {
    const raw = this.annotations[key];
    if (raw === undefined) return fallback;
    const example = kind === 'user' ? '100' : '1000';
    if (raw === '') {
      this.problem(key, raw, `is empty; give a ${kind} id (e.g. ${example}), or remove the annotation for the default`);
      return fallback;
    }
    const value = parseGoInt(raw);
    if (value === undefined || value < 0n || value > MAX_ID) {
      this.problem(key, raw, `is not a ${kind} id: give a whole number from 0 to ${MAX_ID} (e.g. ${example})`);
      return fallback;
    }
    return value;
  }

  uint(key: string, fallback: bigint): bigint {
    return this.parsed(key, fallback, parseGoUint, 'is not a whole number of seconds (e.g. 5)');
  }

  float(key: string, fallback: number, range?: [number, number]): number {
    const raw = this.annotations[key];
    if (raw === undefined) return fallback;
    const value = parseDecimalFloat(raw);
    if (value === undefined || (range && (value < range[0] || value > range[1]))) {
      this.problem(key, raw, range ? `is not a number between ${range[0]} and ${range[1]} (e.g. 0.9)` : 'is not a number');
      return fallback;
    }
    return value;
  }

  /** A Go duration (`30s`, `1m30s`); '' means unset. */
  duration(key: string): string {
    const raw = this.string(key);
    if (raw !== '' && !isGoDuration(raw)) this.problem(key, raw, 'is not a duration (e.g. 30s, 5m, 1h30m)');
    return raw;
  }

  /** One of a fixed set of values; '' is accepted when `emptyOk`. */
  oneOf(key: string, allowed: readonly string[], emptyOk = true): string {
    const raw = this.string(key);
    if ((raw !== '' || !emptyOk) && this.has(key) && !allowed.includes(raw)) {
      this.problem(key, raw, `is not one of ${allowed.join(', ')}`);
    }
    return raw;
  }

  /** A comma-separated list whose entries must each be allowed. */
  list(key: string, allowed: readonly string[]): string[] {
    const raw = this.string(key);
    if (raw === '') return [];
    const entries = raw.split(',');
    const bad = entries.filter((entry) => !allowed.includes(entry));
    if (bad.length > 0) this.problem(key, raw, `has ${bad.map((b) => JSON.stringify(b)).join(', ')}; allowed entries are ${allowed.join(', ')}`);
    return entries;
  }

  /** A resource quantity in canonical form; '' means unset. */
  quantity(key: string): string | undefined {
    const raw = this.string(key);
    if (raw === '') return undefined;
    const canonical = canonicalQuantity(raw);
    if (canonical === undefined) {
      this.problem(key, raw, 'is not a resource quantity (e.g. 250m, 0.5, 64Mi, 1Gi)');
      return undefined;
    }
    if (canonical.startsWith('-')) {
      this.problem(key, raw, 'is negative; use a positive quantity (e.g. 250m, 64Mi)');
      return undefined;
    }
    return canonical;
  }
}
