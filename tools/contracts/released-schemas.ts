import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaIncompatibilities, type JsonSchema } from './schema-compat';

/** The published schemas (docs/events) and the released snapshots they must stay compatible with. */
export const publishedDir = join(__dirname, '../../docs/events');
export const releasedDir = join(__dirname, 'released');

const schemaFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.schema.json')).sort() : [];

const readSchema = (dir: string, name: string): JsonSchema => JSON.parse(readFileSync(join(dir, name), 'utf8')) as JsonSchema;

/** One schema file's standing against its released snapshot. */
export interface ReleaseCheck {
  file: string;
  /** `new`: not released yet; `removed`: released but no longer published. */
  status: 'unchanged' | 'compatible' | 'incompatible' | 'new' | 'removed';
  problems: string[];
}

/** Compares every published schema with its released snapshot, and every snapshot with docs/events. */
export function checkReleasedSchemas(published = publishedDir, released = releasedDir): ReleaseCheck[] {
  const names = [...new Set([...schemaFiles(published), ...schemaFiles(released)])].sort();
  return names.map((file): ReleaseCheck => {
    const isPublished = existsSync(join(published, file));
    const isReleased = existsSync(join(released, file));
    if (!isReleased) return { file, status: 'new', problems: [] };
    if (!isPublished) return { file, status: 'removed', problems: ['released topic no longer published'] };
    const before = readSchema(released, file);
    const after = readSchema(published, file);
    const problems = schemaIncompatibilities(before, after);
    if (problems.length > 0) return { file, status: 'incompatible', problems };
    return { file, status: JSON.stringify(before) === JSON.stringify(after) ? 'unchanged' : 'compatible', problems: [] };
  });
}
