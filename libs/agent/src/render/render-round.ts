import type { SecretRequest } from '@opzero/template';

/** A template could not be rendered or written; the message names the destination. */
export class TemplateStepError extends Error {
  constructor(
    readonly destination: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`template ${destination}: ${message}`, options);
    this.name = 'TemplateStepError';
  }
}

/** The identity of a request: the same data asked for by several templates is fetched once. */
export function keyOf(request: SecretRequest): string {
  return request.kind === 'read' || request.kind === 'list' ? `${request.kind}:${request.path}` : `${request.kind}:${request.path}:${JSON.stringify(Object.entries(request.data).sort())}`;
}

/** What a render round needs from the renderer. */
export interface RoundOperations<E> {
  /** Renders from cached data: the output, or what is still missing. Throws TemplateStepError. */
  render(entry: E): { output: string; missing: SecretRequest[] };
  destination(entry: E): string;
  /** Fetches one request into the cache (with the renderer's retries); `destinations` names who needs it. */
  fetch(destinations: string, request: SecretRequest): Promise<void>;
  /** Writes the templates that rendered in one pass. */
  write(ready: ReadonlyArray<{ entry: E; output: string }>): Promise<void>;
}

/**
 * Renders `entries` until every one is written, the way consul-template's runner does: a pass
 * renders every template still waiting, writes those whose data is all present, and starts one
 * fetch per missing dependency (deduplicated across templates, all concurrently); arrivals
 * trigger the next pass, so a template is written as soon as its own data is in, while the
 * others are still on their way. A template is never written with data missing. The first
 * render error or fatal fetch error ends the round (after writing what rendered before it).
 */
export async function renderRound<E>(entries: readonly E[], ops: RoundOperations<E>): Promise<void> {
  const started = new Set<string>();
  const arrivals = new Arrivals();
  let pending = entries;
  for (;;) {
    const ready: Array<{ entry: E; output: string }> = [];
    const waiting: E[] = [];
    const needed = new Map<string, { request: SecretRequest; destinations: string[] }>();
    let failure: unknown;
    for (const entry of pending) {
      let result: { output: string; missing: SecretRequest[] };
      try {
        result = ops.render(entry);
      } catch (error) {
        failure = error;
        break;
      }
      if (result.missing.length === 0) {
        ready.push({ entry, output: result.output });
        continue;
      }
      waiting.push(entry);
      for (const request of result.missing) {
        const key = keyOf(request);
        const need = needed.get(key) ?? { request, destinations: [] };
        need.destinations.push(ops.destination(entry));
        needed.set(key, need);
      }
    }
    if (failure === undefined) {
      for (const [key, { request, destinations }] of needed) {
        if (arrivals.done.has(key)) {
          failure = new TemplateStepError(destinations.join(','), 'secrets still missing after they were fetched');
          break;
        }
        if (started.has(key)) continue;
        started.add(key);
        arrivals.track(key, ops.fetch(destinations.join(','), request));
      }
    }
    if (ready.length > 0) await ops.write(ready);
    if (failure !== undefined) throw failure;
    if (waiting.length === 0) return;
    await arrivals.next();
    pending = waiting;
  }
}

/**
 * The fetches of one round. `next()` waits for at least one arrival not yet seen and takes all
 * that came meanwhile (those that arrived while the previous pass was writing go into one pass,
 * so their files are written together); a failed fetch is thrown once no arrival is left to render.
 */
class Arrivals {
  readonly done = new Set<string>();
  private unseen = 0;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  track(key: string, fetching: Promise<void>): void {
    // Handled here even after the round has ended (error or stop): a late failure is never unhandled.
    fetching.then(
      () => {
        this.done.add(key);
        this.unseen++;
        this.wake?.();
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.wake?.();
      },
    );
  }

  async next(): Promise<void> {
    while (this.unseen === 0 && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    if (this.unseen === 0) throw this.failure?.error;
    this.unseen = 0;
  }
}
