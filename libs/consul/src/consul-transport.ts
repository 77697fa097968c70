import Consul from 'consul';
import { EventEmitter } from 'node:events';
import { Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ConsulError, type ConsulErrorCode } from './consul-error';
import { consulTlsConnectionOptions } from './consul-tls';
import type { BlockingOptions, ConsulClientOptions, ConsulResult } from './consul-types';

/** Options every call of the consul package takes (its "common options"). */
export type CommonOptions = Record<string, unknown>;
type LibCall = (options: CommonOptions) => Promise<unknown>;
/** Picks the consul method to run, called on its object (its methods need their `this`). */
export type ConsulCall = (lib: ConsulLib, options: CommonOptions) => Promise<unknown>;

/** The parts of the consul package opzero calls (its bundled typings cover less than it does). */
export interface ConsulLib {
  kv: { get: LibCall; keys: LibCall; set: LibCall; del: LibCall };
  catalog: { register: LibCall; deregister: LibCall; node: { list: LibCall }; service: { list: LibCall; nodes: LibCall } };
  status: { leader: LibCall; peers: LibCall };
  agent: { self: LibCall };
  session: { create: LibCall; destroy: LibCall; info: LibCall; renew: LibCall };
  watch(options: { method: LibCall; options: CommonOptions }): LibWatch;
  destroy(): void;
}

/** consul's Watch: emits `change` (data, response) and `error`, retries with backoff until `end()`. */
export interface LibWatch extends EventEmitter {
  end(): void;
  isRunning(): boolean;
}

const MAX_WAIT_MS = 600_000;
const MAX_DETAIL_LENGTH = 500;

/**
 * The one place that talks to the consul package. Every call gets the token, datacenter and
 * an absolute timeout explicitly, and a context object so the response (X-Consul-Index) comes
 * back with the body and an AbortSignal can cancel a blocking query.
 */
export class ConsulTransport {
  readonly lib: ConsulLib;
  private readonly timeoutMs: number;

  constructor(private readonly options: ConsulClientOptions) {
    const baseUrl = `${options.address.replace(/\/+$/, '')}/v1`;
    const keepAlive = options.keepAlive !== false;
    const agent = baseUrl.startsWith('https:') ? new HttpsAgent({ keepAlive, ...consulTlsConnectionOptions(options.tls) }) : new HttpAgent({ keepAlive });
    this.lib = new (Consul as unknown as new (options: object) => ConsulLib)({ baseUrl, agent });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Options for a call: token, datacenter, timeout, and for blocking queries index and wait. */
  common(path: string, blocking: BlockingOptions = {}): CommonOptions {
    const waitMs = blocking.index !== undefined ? parseWait(path, blocking.wait ?? '5m') : 0;
    return {
      ...(this.options.token ? { token: this.options.token } : {}),
      ...(this.options.datacenter ? { dc: this.options.datacenter } : {}),
      // Consul adds up to wait/16 of jitter to a blocking query.
      timeout: this.timeoutMs + waitMs + Math.ceil(waitMs / 16),
      ...(blocking.index !== undefined ? { index: blocking.index, wait: blocking.wait ?? '5m' } : {}),
      ...(blocking.consistency ? { [blocking.consistency]: true } : {}),
    };
  }

  /** Runs one consul call; returns its body and X-Consul-Index, or throws a ConsulError. */
  async call<T>(method: string, path: string, run: ConsulCall, extra: CommonOptions = {}, blocking: BlockingOptions = {}): Promise<ConsulResult<T>> {
    const ctx = Object.assign(new EventEmitter(), { includeResponse: true });
    const abort = () => ctx.emit('cancel');
    if (blocking.signal?.aborted) throw new ConsulError(method, path, 0, 'aborted before it was sent', 'aborted');
    blocking.signal?.addEventListener('abort', abort, { once: true });
    try {
      const result = await run(this.lib, { ...this.common(path, blocking), ...extra, ctx });
      // papi resolves (instead of rejecting) with an error that fails its `instanceof Error`,
      // as socket errors do under a separate realm (jest's sandbox): anything but
      // [response, body] is a failure.
      if (!Array.isArray(result) || typeof (result[0] as IncomingMessage | undefined)?.headers !== 'object') throw result;
      const [response, body] = result as [IncomingMessage, T];
      return { index: Number(response.headers['x-consul-index'] ?? 0), value: body, ...queryMeta(response.headers) };
    } catch (error) {
      throw toConsulError(method, path, error, this.options.token);
    } finally {
      blocking.signal?.removeEventListener('abort', abort);
    }
  }

  close(): void {
    this.lib.destroy();
  }
}

/** X-Consul-KnownLeader and X-Consul-LastContact, when the server sent them (reads only). */
function queryMeta(headers: IncomingMessage['headers']): { knownLeader?: boolean; lastContact?: number } {
  const knownLeader = headers['x-consul-knownleader'];
  const lastContact = Number(headers['x-consul-lastcontact']);
  return {
    ...(typeof knownLeader === 'string' ? { knownLeader: knownLeader === 'true' } : {}),
    ...(Number.isFinite(lastContact) && headers['x-consul-lastcontact'] !== undefined ? { lastContact } : {}),
  };
}

/** A Consul duration for `wait`, bounded by Consul's own 10 minute maximum. */
function parseWait(path: string, wait: string): number {
  const match = /^(\d{1,7})(ms|s|m)$/.exec(wait);
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'] : NaN;
  if (!(ms >= 0 && ms <= MAX_WAIT_MS)) {
    throw new ConsulError('GET', path, 0, `wait: "${wait.slice(0, 20)}" is not a Consul duration up to 10m (e.g. 30s, 5m)`, 'invalid-request');
  }
  return ms;
}

interface PapiErrorShape {
  message: string;
  isResponse?: boolean;
  isTimeout?: boolean;
  isAbort?: boolean;
  isValidation?: boolean;
  response?: { statusCode?: number; body?: unknown };
}

/** Rebuilds what the consul package threw as a ConsulError with Consul's text and nothing else; rethrows programming errors. */
export function toConsulError(method: string, path: string, error: unknown, token: string | undefined): ConsulError {
  const clean = (text: string) => (token ? text.split(token).join('[token]') : text).trim().slice(0, MAX_DETAIL_LENGTH);
  if (error instanceof ConsulError) return error;
  const e = error as PapiErrorShape;
  // A programming error is a bug, not a Consul failure: it goes on as it is. (Checked by name:
  // errors from another realm, as under jest, fail `instanceof`, and papi re-wraps them.)
  if (typeof error !== 'object' || error === null) return new ConsulError(method, path, 0, 'unknown failure', 'network');
  if (['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError'].includes((error as Error).name)) throw error;
  const message = typeof e.message === 'string' ? e.message.replace(/^consul: [\w.]+: /, '') : '';
  if (e.isResponse && typeof e.response?.statusCode === 'number') {
    const body = e.response.body;
    return new ConsulError(method, path, e.response.statusCode, clean(typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : message));
  }
  const code: ConsulErrorCode = e.isTimeout ? 'timeout' : e.isAbort ? 'aborted' : e.isValidation ? 'invalid-request' : 'network';
  return new ConsulError(method, path, 0, clean(message), code);
}
