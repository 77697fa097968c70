import { JsonArraySplitter } from './json-array-splitter';

/** Feeds `text` in chunks of `size` bytes and returns every element the splitter produced. */
function split(text: string, size: number, max = 1024): { elements: string[]; complete: boolean } {
  const splitter = new JsonArraySplitter(max);
  const bytes = Buffer.from(text);
  const elements: string[] = [];
  for (let i = 0; i < bytes.length; i += size) elements.push(...splitter.push(bytes.subarray(i, i + size)));
  return { elements, complete: splitter.complete };
}

describe('JsonArraySplitter', () => {
  const entries = [
    { Key: 'vm-config/a/x', Value: 'eyJhIjoxfQ==', ModifyIndex: 5 },
    { Key: 'weird "}]{[ key \\" \\\\', Value: null, ModifyIndex: 6 },
    { Key: 'nested', Value: { deep: [1, { two: '}' }] }, ModifyIndex: 7 },
    { Key: 'ünïcödé ✓', ModifyIndex: 8 },
  ];
  const text = ` [ ${entries.map((entry) => JSON.stringify(entry)).join(' ,\n')} ] `;

  it.each([1, 2, 3, 7, 64, 100_000])('gives each element whole, whatever the chunk size (%i bytes)', (size) => {
    const { elements, complete } = split(text, size);
    expect(elements.map((element) => JSON.parse(element) as unknown)).toEqual(entries);
    expect(complete).toBe(true);
  });

  it('an empty array is complete with no elements; a cut-off one is not complete', () => {
    expect(split('[]', 1)).toEqual({ elements: [], complete: true });
    expect(split(text.slice(0, text.length - 4), 5).complete).toBe(false);
    expect(split('', 5).complete).toBe(false);
  });

  it('refuses an element larger than the limit, also when it spans chunks', () => {
    const big = `[${JSON.stringify({ Key: 'k', Value: 'x'.repeat(2000) })}]`;
    expect(() => split(big, 100_000)).toThrow('larger than 1024 bytes');
    expect(() => split(big, 10)).toThrow('larger than 1024 bytes');
  });

  it('refuses a closing bracket with nothing open', () => {
    expect(() => split('[]]', 1)).toThrow('not a JSON array');
  });
});
