import type { SecretRequest } from '@opzero/template';
import { keyOf, renderRound, TemplateStepError, type RoundOperations } from './render-round';

// Templates as lists of secret paths; a fake cache whose fetches the test resolves by hand,
// so it can see what is fetched at once and what is written while other data is still away.
interface FakeTemplate {
  name: string;
  reads: string[];
  /** Thrown by the render once its data is present (a template execution error). */
  fails?: boolean;
}

function harness() {
  const cache = new Map<string, string>();
  const fetches: Array<{ path: string; destinations: string; resolve: () => void; reject: (e: Error) => void }> = [];
  const writes: string[][] = [];
  const ops: RoundOperations<FakeTemplate> = {
    render: (t) => {
      const missing: SecretRequest[] = t.reads.filter((p) => !cache.has(keyOf({ kind: 'read', path: p }))).map((path) => ({ kind: 'read', path }));
      if (missing.length === 0 && t.fails) throw new TemplateStepError(t.name, 'execution failed');
      return { output: missing.length ? '' : t.reads.map((p) => cache.get(keyOf({ kind: 'read', path: p }))).join(','), missing };
    },
    destination: (t) => t.name,
    fetch: (destinations, request) =>
      new Promise<void>((resolve, reject) => {
        fetches.push({ path: request.path, destinations, resolve: () => (cache.set(keyOf(request), `v(${request.path})`), resolve()), reject });
      }),
    write: async (ready) => {
      writes.push(ready.map((r) => `${r.entry.name}=${r.output}`));
      await gate.promise;
    },
  };
  // Writes finish only when the test opens the gate (open unless a test closes it).
  const gate = { promise: Promise.resolve(), open: () => undefined as void };
  const closeGate = () => {
    gate.promise = new Promise<void>((resolve) => (gate.open = resolve));
  };
  return { ops, fetches, writes, gate, closeGate };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('renderRound', () => {
  it('fetches every missing secret of every template at once, each path once however many templates read it', async () => {
    const { ops, fetches, writes } = harness();
    const round = renderRound(
      [
        { name: 'a', reads: ['kv/one', 'kv/two'] },
        { name: 'b', reads: ['kv/two'] },
        { name: 'c', reads: ['kv/three'] },
      ],
      ops,
    );
    await settle();
    expect(fetches.map((f) => [f.path, f.destinations])).toEqual([
      ['kv/one', 'a'],
      ['kv/two', 'a,b'],
      ['kv/three', 'c'],
    ]);
    expect(writes.flat()).toEqual([]);
    for (const f of fetches) f.resolve();
    await round;
    expect(writes.flat().sort()).toEqual(['a=v(kv/one),v(kv/two)', 'b=v(kv/two)', 'c=v(kv/three)']);
    expect(fetches).toHaveLength(3);
  });

  it('writes a template as soon as all of its own data is in, never with data missing', async () => {
    const { ops, fetches, writes } = harness();
    const round = renderRound(
      [
        { name: 'a', reads: ['kv/slow', 'kv/fast'] },
        { name: 'b', reads: ['kv/fast'] },
      ],
      ops,
    );
    await settle();
    fetches.find((f) => f.path === 'kv/fast')!.resolve();
    await settle();
    expect(writes.flat()).toEqual(['b=v(kv/fast)']);
    fetches.find((f) => f.path === 'kv/slow')!.resolve();
    await round;
    expect(writes.flat()).toEqual(['b=v(kv/fast)', 'a=v(kv/slow),v(kv/fast)']);
  });

  it('renders everything that arrived during a write in one pass, so those files are written together', async () => {
    const { ops, fetches, writes, gate, closeGate } = harness();
    closeGate();
    const round = renderRound(
      [
        { name: 'a', reads: ['kv/a'] },
        { name: 'b', reads: ['kv/b'] },
        { name: 'c', reads: ['kv/c'] },
      ],
      ops,
    );
    await settle();
    fetches[0]!.resolve();
    await settle();
    expect(writes).toEqual([['a=v(kv/a)']]);
    fetches[1]!.resolve();
    fetches[2]!.resolve();
    await settle();
    gate.open();
    await round;
    expect(writes).toEqual([['a=v(kv/a)'], ['b=v(kv/b)', 'c=v(kv/c)']]);
  });

  it('fetches a dependency found only once another arrived (a path read from a secret) in a later pass', async () => {
    const { ops, fetches, writes } = harness();
    const chained = { name: 'a', reads: ['kv/first'] };
    const baseRender = ops.render;
    ops.render = (t) => {
      const result = baseRender(t);
      // Once kv/first is in, the template asks for kv/second as well.
      if (result.missing.length === 0 && t.reads.length === 1) {
        t.reads.push('kv/second');
        return baseRender(t);
      }
      return result;
    };
    const round = renderRound([chained], ops);
    await settle();
    fetches[0]!.resolve();
    await settle();
    expect(fetches.map((f) => f.path)).toEqual(['kv/first', 'kv/second']);
    expect(writes.flat()).toEqual([]);
    fetches[1]!.resolve();
    await round;
    expect(writes.flat()).toEqual(['a=v(kv/first),v(kv/second)']);
  });

  it('ends on a fatal fetch error naming the templates that needed the secret, after writing what was ready', async () => {
    const { ops, fetches, writes } = harness();
    const round = renderRound(
      [
        { name: 'a', reads: ['kv/gone'] },
        { name: 'b', reads: ['kv/ok'] },
        { name: 'c', reads: ['kv/gone'] },
      ],
      ops,
    );
    await settle();
    fetches.find((f) => f.path === 'kv/ok')!.resolve();
    await settle();
    const gone = fetches.find((f) => f.path === 'kv/gone')!;
    expect(gone.destinations).toBe('a,c');
    gone.reject(new TemplateStepError(gone.destinations, 'no secret exists at kv/gone'));
    await expect(round).rejects.toThrow('template a,c: no secret exists at kv/gone');
    expect(writes.flat()).toEqual(['b=v(kv/ok)']);
  });

  it('ends on a render error, writing the templates before it in the same pass and none after', async () => {
    const { ops, fetches, writes } = harness();
    const round = renderRound(
      [
        { name: 'a', reads: ['kv/x'] },
        { name: 'bad', reads: ['kv/x'], fails: true },
        { name: 'c', reads: ['kv/x'] },
      ],
      ops,
    );
    await settle();
    expect(fetches).toHaveLength(1);
    fetches[0]!.resolve();
    await expect(round).rejects.toThrow('template bad: execution failed');
    expect(writes.flat()).toEqual(['a=v(kv/x)']);
  });
});
