import { ConfigFieldError, parseDuration } from './duration';

type Raw = Record<string, unknown>;

/**
 * One object of the agent configuration, read field by field. Every key must be read
 * (or explicitly refused) before done(), so a field the agent does not honour is never
 * silently ignored: done() names the first unknown one.
 */
export class ConfigSection {
  private readonly seen = new Set<string>();

  constructor(
    readonly path: string,
    private readonly raw: Raw,
  ) {}

  /** Wraps a value that must be an object (a single-element array, as HCL blocks become, is unwrapped). */
  static of(path: string, value: unknown): ConfigSection {
    const single = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (single === null || typeof single !== 'object' || Array.isArray(single)) throw new ConfigFieldError(path, 'must be an object');
    return new ConfigSection(path, single as Raw);
  }

  field(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  private take(key: string): unknown {
    this.seen.add(key);
    return this.raw[key] ?? undefined;
  }

  string(key: string): string | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ConfigFieldError(this.field(key), 'must be a string');
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.take(key);
    if (value === undefined || value === '') return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new ConfigFieldError(this.field(key), `${JSON.stringify(value)} is not a boolean`);
  }

  number(key: string, fallback: number): number {
    const value = this.take(key);
    if (value === undefined || value === '') return fallback;
    const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConfigFieldError(this.field(key), `${JSON.stringify(value)} is not a number`);
    return n;
  }

  duration(key: string, fallbackMs: number): number {
    const value = this.take(key);
    return value === undefined || value === '' ? fallbackMs : parseDuration(this.field(key), value);
  }

  stringList(key: string): string[] {
    const value = this.take(key);
    if (value === undefined) return [];
    const list = typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw new ConfigFieldError(this.field(key), 'must be a list of strings');
    return list.map((v) => v.trim()).filter((v) => v !== '');
  }

  section(key: string): ConfigSection | undefined {
    const value = this.take(key);
    return value === undefined ? undefined : ConfigSection.of(this.field(key), value);
  }

  /** A list of objects (JSON array, or a single object). */
  sections(key: string): ConfigSection[] {
    const value = this.take(key);
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, i) => ConfigSection.of(`${this.field(key)}[${i}]`, item));
  }

  /** The raw value of an open-ended map (auth method config), read key by key by its owner. */
  raw_(key: string): unknown {
    return this.take(key);
  }

  /** Fields Vault Agent has but this agent does not implement: present means refused. */
  refuse(keys: readonly string[], why: string): void {
    for (const key of keys) {
      if (this.has(key)) throw new ConfigFieldError(this.field(key), `not supported by opzero's agent (${why})`);
      this.seen.add(key);
    }
  }

  /** Throws on the first key nobody read. */
  done(): void {
    for (const key of Object.keys(this.raw).sort()) {
      if (!this.seen.has(key)) throw new ConfigFieldError(this.field(key), 'unknown or unsupported field');
    }
  }
}
