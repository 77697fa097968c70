import type { KvEntry } from '@opzero/consul';
import type { VmconfigCollected } from '@opzero/contracts';
import type { KvLister } from './consul/kv-stream';
import { canonicalJson, FACTS_PREFIX, MANIFEST_SECTION, MAX_SECTION_BYTES, parseSectionKey, sha256, VOLATILE_SECTIONS } from './fact-keys';

/** Why a value under `vm-config/` was not taken as facts. */
export interface MalformedValue {
  key: string;
  reason: string;
}

export interface FactWatchOptions {
  /** Consul, read entry by entry (ConsulKvStream), so no listing is ever held whole. */
  consul: KvLister;
  /** Called once per node whose facts changed; a rejection is retried after a backoff. */
  onCollected(event: VmconfigCollected): Promise<void>;
  /**
   * Called with the configuration facts of every node whose facts differ from what the watch
   * knew, the first listing included (so a store catches up after a restart), before
   * onCollected; a rejection is retried after a backoff like onCollected's.
   */
  record?(node: string, facts: Record<string, unknown>, event: VmconfigCollected): Promise<void>;
  /** A value that is not a JSON object, too large, or under a key of the wrong shape. */
  onMalformed?(value: MalformedValue): void;
  /** Consul errors; the watch backs off and goes on. */
  onError?(error: unknown): void;
  /** Blocking query wait (Consul duration, default `5m`). */
  wait?: string;
  backoff?: { initialMs: number; maxMs: number };
  /** Emit events for the nodes already present at the first listing (default false: they are the baseline). */
  emitInitial?: boolean;
  now?: () => Date;
}

/** What the watch keeps of a section between rounds: no value, so its memory does not grow with the facts. */
interface Section {
  modifyIndex: number;
  hash: string;
}

/** A section of the current listing, its value read on demand (for nodes that changed, and manifests). */
interface ListedSection extends Section {
  /** Taken from the last round (same ModifyIndex), not parsed again. */
  reused: boolean;
  value(): unknown;
}

/**
 * Watches `vm-config/` with recursive blocking queries and emits one `vmconfig.collected`
 * payload per node whose sections changed (by content, not by index: a rewrite of the same
 * value is no change). The index resets when Consul's goes backwards (a restarted server), and
 * it only advances once every event of a round was delivered, so nothing is lost to a failure.
 */
export class FactWatch {
  private readonly nodes = new Map<string, Map<string, Section>>();
  /** Keys already reported as malformed, at their ModifyIndex, so each bad value is reported once. */
  private readonly reported = new Map<string, number>();
  private index = 0;
  private baselined = false;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: FactWatchOptions) {}

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  /** Stops the loop and waits for it to end. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = null;
  }

  /** Nodes currently known, with their section names. */
  knownNodes(): Record<string, string[]> {
    return Object.fromEntries([...this.nodes].map(([node, sections]) => [node, [...sections.keys()].sort()]));
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let delay = backoff.initialMs;
    while (!signal.aborted) {
      try {
        const listing = await this.options.consul.listEntries(FACTS_PREFIX, { index: this.index, wait: this.options.wait ?? '5m', signal });
        // A restarted or replaced server can answer with a lower index: start over from 0.
        const wentBack = listing.index < this.index;
        // ModifyIndexes from before the reset mean nothing now: parse every value again.
        await this.apply(listing.entries, !wentBack);
        this.index = wentBack ? 0 : listing.index;
        delay = backoff.initialMs;
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        await sleep(delay, signal);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  }

  /**
   * Compares a full listing with what is known, one node at a time as the entries arrive (a
   * node's keys are contiguous: Consul lists in key order and node names have no `/`), so only
   * one node's facts are in memory; emits per changed node; throws if an emit failed.
   */
  private async apply(entries: AsyncGenerator<KvEntry>, reuseKnown: boolean): Promise<void> {
    const done = new Set<string>();
    let node: string | null = null;
    let sections = new Map<string, ListedSection>();
    const flush = async () => {
      if (node === null) return;
      if (done.has(node)) throw new Error(`Consul listed the keys of vm-config/${node}/ out of key order`);
      done.add(node);
      await this.applyNode(node, sections);
    };
    try {
      for await (const entry of entries) {
        const section = this.decode(entry, reuseKnown);
        if (!section) continue;
        if (section.node !== node) {
          await flush();
          node = section.node;
          sections = new Map();
        }
        sections.set(section.section, section.value);
      }
      await flush();
    } finally {
      // A failed emit leaves the rest of the listing unread: drop the response.
      await entries.return(undefined);
    }
    this.baselined = true;
  }

  /** One node of the listing against what is known: records and emits when its configuration changed. */
  private async applyNode(node: string, after: Map<string, ListedSection>): Promise<void> {
    const before = this.nodes.get(node);
    // Every section as known (same keys, same ModifyIndexes): nothing can have changed.
    if (before && before.size === after.size && [...after].every(([name, section]) => before.get(name)?.modifyIndex === section.modifyIndex && section.reused)) return;
    // A collector is between its first and last write: wait for the listing that matches its manifest.
    if (!matchesManifest(after)) return;
    const changed = changedSections(before, after);
    if (changed.length > 0) {
      const facts = configFacts(after);
      const event = this.event(node, after, facts, changed, before === undefined);
      await this.options.record?.(node, facts, event);
      if (this.baselined || this.options.emitInitial === true) await this.options.onCollected(event);
    }
    // A node whose keys vanished (a wiped server) is not in the listing and keeps its last facts,
    // so a rewrite of the same facts is no change and a different one is reported against what
    // was known. Kept even when unchanged, so the ModifyIndexes reused next round are the current ones.
    this.nodes.set(node, new Map([...after].map(([name, section]) => [name, { modifyIndex: section.modifyIndex, hash: section.hash }])));
  }

  private decode(entry: KvEntry, reuseKnown: boolean): { node: string; section: string; value: ListedSection } | null {
    const parsedKey = parseSectionKey(entry.key);
    // Unchanged since the last round (same ModifyIndex): reuse it instead of parsing and hashing again.
    const known = parsedKey ? this.nodes.get(parsedKey.node)?.get(parsedKey.section) : undefined;
    if (parsedKey && reuseKnown && known?.modifyIndex === entry.modifyIndex) return { ...parsedKey, value: { ...known, reused: true, value: () => JSON.parse(entry.value!) as unknown } };
    const checked = parsedKey ? checkValue(entry.value) : { problem: 'the key is not vm-config/<node>/<section>' };
    if ('value' in checked) {
      const value = checked.value;
      return { ...parsedKey!, value: { modifyIndex: entry.modifyIndex, hash: sha256(canonicalJson(value)), reused: false, value: () => value } };
    }
    if (this.reported.get(entry.key) !== entry.modifyIndex) {
      this.reported.set(entry.key, entry.modifyIndex);
      this.options.onMalformed?.({ key: entry.key.slice(0, 512), reason: checked.problem });
    }
    return null;
  }

  private event(node: string, sections: Map<string, Section>, facts: Record<string, unknown>, changed: string[], firstSeen: boolean): VmconfigCollected {
    return {
      node,
      kvKey: `${FACTS_PREFIX}${node}/`,
      modifyIndex: Math.max(...[...sections.values()].map((section) => section.modifyIndex)),
      changed: changed.slice(0, 256),
      firstSeen,
      factsSha256: sha256(canonicalJson(facts)),
      collectedAt: (this.options.now ?? (() => new Date()))().toISOString(),
    };
  }
}

/** A value's problem as facts (checked before parsing: size first, so parsing is bounded). */
export function valueProblem(value: string | null): string | null {
  const checked = checkValue(value);
  return 'problem' in checked ? checked.problem : null;
}

/** The value parsed as facts (a JSON object within MAX_SECTION_BYTES), or why it is not. */
function checkValue(value: string | null): { value: Record<string, unknown> } | { problem: string } {
  if (value === null) return { problem: 'the value is empty' };
  if (Buffer.byteLength(value) > MAX_SECTION_BYTES) return { problem: `the value is larger than ${MAX_SECTION_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { problem: 'the value is not JSON' };
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { value: parsed as Record<string, unknown> } : { problem: 'the value is not a JSON object' };
}

/** The sections that are configuration (no manifest, no usage figures), by name. */
function configFacts(sections: Map<string, ListedSection>): Record<string, unknown> {
  return Object.fromEntries([...sections].filter(([name]) => isConfig(name)).map(([name, section]) => [name, section.value()]));
}

function isConfig(section: string): boolean {
  return section !== MANIFEST_SECTION && !VOLATILE_SECTIONS.has(section);
}

function changedSections(before: Map<string, Section> | undefined, after: Map<string, Section>): string[] {
  const names = new Set([...(before?.keys() ?? []), ...after.keys()]);
  return [...names].filter((name) => isConfig(name) && before?.get(name)?.hash !== after.get(name)?.hash).sort();
}

/** True when the node has no manifest (a writer other than writeFacts), or its sections match it exactly. */
function matchesManifest(sections: Map<string, ListedSection>): boolean {
  const manifest = sections.get(MANIFEST_SECTION)?.value() as { sections?: unknown } | undefined;
  if (manifest === undefined) return true;
  const expected = typeof manifest.sections === 'object' && manifest.sections !== null ? (manifest.sections as Record<string, unknown>) : {};
  const present = [...sections.keys()].filter(isConfig);
  return present.length === Object.keys(expected).length && present.every((name) => expected[name] === sections.get(name)!.hash);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
