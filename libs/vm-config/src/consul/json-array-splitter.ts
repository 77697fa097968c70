const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]

/**
 * Splits a JSON array arriving in chunks into the texts of its elements (objects or arrays), so
 * a large listing is parsed one element at a time instead of as one document. It tracks only
 * strings and nesting (the elements themselves are checked by JSON.parse), in one pass with
 * native searches inside strings: linear in the input. An element longer than `maxElementBytes`
 * is an error, so one huge value cannot make it buffer without bound.
 */
export class JsonArraySplitter {
  private depth = 0;
  private opened = false;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private partsBytes = 0;

  constructor(private readonly maxElementBytes: number) {}

  /** The elements completed by this chunk, as UTF-8 texts. */
  push(chunk: Buffer): string[] {
    const done: string[] = [];
    let start = this.depth >= 2 ? 0 : -1;
    let i = 0;
    while (i < chunk.length) {
      if (this.inString) {
        i = this.skipString(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      if (byte === QUOTE) {
        this.inString = true;
      } else if (OPEN.has(byte)) {
        this.depth++;
        this.opened = true;
        if (this.depth === 2) start = i;
      } else if (CLOSE.has(byte)) {
        this.depth--;
        if (this.depth === 1) {
          done.push(this.take(chunk.subarray(start, i + 1)));
          start = -1;
        } else if (this.depth < 0) throw new Error('the listing is not a JSON array');
      }
      i++;
    }
    if (start >= 0) this.keep(chunk.subarray(start));
    return done;
  }

  /** True once the array's closing bracket was read. */
  get complete(): boolean {
    return this.opened && this.depth === 0;
  }

  /** From inside a string: past its closing quote, or to the chunk's end. */
  private skipString(chunk: Buffer, from: number): number {
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    while (i < chunk.length) {
      const quote = chunk.indexOf(QUOTE, i);
      const backslash = chunk.indexOf(BACKSLASH, i);
      if (backslash >= 0 && (quote < 0 || backslash < quote)) {
        if (backslash + 1 >= chunk.length) {
          this.escaped = true;
          return chunk.length;
        }
        i = backslash + 2;
        continue;
      }
      if (quote < 0) return chunk.length;
      this.inString = false;
      return quote + 1;
    }
    return i;
  }

  private keep(part: Buffer): void {
    this.partsBytes += part.length;
    if (this.partsBytes > this.maxElementBytes) throw new Error(`an element of the listing is larger than ${this.maxElementBytes} bytes`);
    // A copy: the chunk's memory is the stream's, and may be reused.
    this.parts.push(Buffer.from(part));
  }

  private take(last: Buffer): string {
    if (this.partsBytes + last.length > this.maxElementBytes) throw new Error(`an element of the listing is larger than ${this.maxElementBytes} bytes`);
    const text = this.parts.length === 0 ? last.toString('utf8') : Buffer.concat([...this.parts, last]).toString('utf8');
    this.parts = [];
    this.partsBytes = 0;
    return text;
  }
}
