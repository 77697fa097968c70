/** Where in which template something went wrong; the message reads `name:line:col: what`. */
export class TemplateError extends Error {
  constructor(
    readonly templateName: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
    readonly phase: 'parse' | 'execute',
    options?: { cause?: unknown },
  ) {
    super(`${templateName}:${line}:${column}: ${detail}`, options);
    this.name = 'TemplateError';
  }
}

/** Line and column (1-based) of a byte offset, as the template text shows them. */
export function positionOf(source: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

/** Go's execution-error position (parse.Tree.ErrorContext): 1-based line, 0-based byte column. */
export function goPositionOf(source: string, pos: number): { line: number; column: number } {
  const { line, column } = positionOf(source, pos);
  const lineStart = pos - column + 1;
  return { line, column: Buffer.byteLength(source.slice(lineStart, pos), 'utf8') };
}
