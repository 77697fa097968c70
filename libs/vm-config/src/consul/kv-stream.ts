import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ConsulError, consulTlsConnectionOptions, type BlockingOptions, type ConsulClientOptions, type KvEntry } from '@opzero/consul';
import { JsonArraySplitter } from './json-array-splitter';

/** A recursive KV listing read as it arrives: the index first, then the entries one by one. */
export interface KvListing {
  /** X-Consul-Index of the answer. */
  index: number;
  /** The entries in key order; stop iterating (break, throw) and the response is dropped. */
  entries: AsyncGenerator<KvEntry>;
}

/** What the fact watch needs of Consul: a recursive, optionally blocking, listing read entry by entry. */
export interface KvLister {
  listEntries(prefix: string, blocking?: BlockingOptions): Promise<KvListing>;
}

/** Consul limits values to 512 KiB: base64 and the entry's other fields stay well under this. */
const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_WAIT_MS = 600_000;

/**
 * `GET /v1/kv/<prefix>?recurse` streamed: each entry is parsed and its value decoded only when
 * the reader asks for it, and the response is paused while the reader works, so a listing of
 * every VM's facts (150 MiB at 10,000 VMs) never sits in memory whole (the consul package
 * buffers the body, parses it at once and decodes every value). Same options as ConsulClient.
 */
export class ConsulKvStream implements KvLister {
  private readonly base: URL;

  constructor(private readonly options: ConsulClientOptions) {
    this.base = new URL(`${options.address.replace(/\/+$/, '')}/v1/kv/`);
  }

  async listEntries(prefix: string, blocking: BlockingOptions = {}): Promise<KvListing> {
    const path = `kv/${prefix}`;
    const waitMs = blocking.index !== undefined ? waitOf(path, blocking.wait ?? '5m') : 0;
    const url = new URL(prefix.split('/').map(encodeURIComponent).join('/'), this.base);
    url.searchParams.set('recurse', 'true');
    if (blocking.index !== undefined) {
      url.searchParams.set('index', String(blocking.index));
      url.searchParams.set('wait', blocking.wait ?? '5m');
    }
    if (this.options.datacenter) url.searchParams.set('dc', this.options.datacenter);
    if (blocking.consistency) url.searchParams.set(blocking.consistency, '');
    // Consul adds up to wait/16 of jitter to a blocking query.
    const timeoutMs = (this.options.timeoutMs ?? 10_000) + waitMs + Math.ceil(waitMs / 16);
    const response = await this.send(url, path, timeoutMs, blocking.signal);
    const index = Number(response.headers['x-consul-index'] ?? 0);
    if (response.statusCode === 404) {
      response.resume();
      return { index, entries: empty() };
    }
    if (response.statusCode !== 200) {
      const detail = await bodyText(response, 500);
      throw new ConsulError('GET', path, response.statusCode ?? 0, this.clean(detail));
    }
    return { index, entries: entriesOf(response, path, this.options.timeoutMs ?? 10_000) };
  }

  private send(url: URL, path: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    if (signal?.aborted) return Promise.reject(new ConsulError('GET', path, 0, 'aborted before it was sent', 'aborted'));
    const headers = this.options.token ? { 'x-consul-token': this.options.token } : {};
    const request = url.protocol === 'https:' ? httpsRequest(url, { headers, ...consulTlsConnectionOptions(this.options.tls) }) : httpRequest(url, { headers });
    return new Promise((resolve, reject) => {
      const fail = (code: 'timeout' | 'aborted' | 'network', detail: string) => {
        request.destroy();
        reject(new ConsulError('GET', path, 0, this.clean(detail), code));
      };
      // Until the headers: the blocking wait and its jitter. The body has its own idle limit (entriesOf).
      const timer = setTimeout(() => fail('timeout', `no answer within ${timeoutMs} ms`), timeoutMs);
      const abort = () => fail('aborted', 'aborted');
      signal?.addEventListener('abort', abort, { once: true });
      request.on('close', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      });
      request.on('error', (error) => fail('network', error.message));
      request.on('response', (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      request.end();
    });
  }

  private clean(text: string): string {
    const token = this.options.token;
    return (token ? text.split(token).join('[token]') : text).trim().slice(0, 500);
  }
}

/**
 * The entries of a listing's body. `idleMs` bounds each wait for the next chunk (not the time the
 * reader spends between entries, while the response is paused), so a stalled server is an error.
 */
async function* entriesOf(response: IncomingMessage, path: string, idleMs: number): AsyncGenerator<KvEntry> {
  const splitter = new JsonArraySplitter(MAX_ENTRY_BYTES);
  const chunks = (response as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await withinMs(chunks.next(), idleMs, () => new ConsulError('GET', path, 0, `the listing stalled for ${idleMs} ms`, 'timeout'));
      if (next.done) break;
      for (const text of splitter.push(next.value)) yield entryOf(text, path);
    }
  } catch (error) {
    if (error instanceof ConsulError) throw error;
    throw new ConsulError('GET', path, 0, error instanceof Error ? error.message : 'the listing failed', 'invalid-response');
  } finally {
    response.destroy();
  }
  if (!splitter.complete) throw new ConsulError('GET', path, 0, 'the listing ended before its closing bracket', 'invalid-response');
}

/** One entry of Consul's listing, its base64 value decoded to text. */
function entryOf(text: string, path: string): KvEntry {
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || typeof raw['Key'] !== 'string') throw new ConsulError('GET', path, 0, 'a listing entry has no Key', 'invalid-response');
  const num = (name: string) => (typeof raw[name] === 'number' ? (raw[name] as number) : 0);
  return {
    key: raw['Key'],
    value: typeof raw['Value'] === 'string' ? Buffer.from(raw['Value'], 'base64').toString('utf8') : null,
    modifyIndex: num('ModifyIndex'),
    createIndex: num('CreateIndex'),
    flags: num('Flags'),
    lockIndex: num('LockIndex'),
    ...(typeof raw['Session'] === 'string' ? { session: raw['Session'] } : {}),
  };
}

/** An empty listing (404: no key under the prefix). */
async function* empty(): AsyncGenerator<KvEntry> {
  return;
}

function withinMs<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function bodyText(response: IncomingMessage, max: number): Promise<string> {
  let text = '';
  for await (const chunk of response as AsyncIterable<Buffer>) if (text.length < max) text += chunk.toString('utf8');
  return text.slice(0, max);
}

function waitOf(path: string, wait: string): number {
  const match = /^(\d{1,7})(ms|s|m)$/.exec(wait);
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'] : NaN;
  if (!(ms >= 0 && ms <= MAX_WAIT_MS)) throw new ConsulError('GET', path, 0, `wait: "${wait.slice(0, 20)}" is not a Consul duration up to 10m (e.g. 30s, 5m)`, 'invalid-request');
  return ms;
}
