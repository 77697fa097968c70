import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReleasedSchemas } from './released-schemas';

describe('docs/events schemas against their released snapshots (tools/contracts/released)', () => {
  const checks = checkReleasedSchemas();

  it('has released every published schema (node --require @swc-node/register tools/contracts/release-schemas.ts)', () => {
    expect(checks.filter((check) => check.status === 'new').map((check) => check.file)).toEqual([]);
  });

  it.each(checks.map((check) => [check.file, check] as const))(
    '%s is still published and compatible; an incompatible change needs a new topic version',
    (_, check) => {
      expect(check.problems).toEqual([]);
      expect(['unchanged', 'compatible']).toContain(check.status);
    },
  );
});

describe('checkReleasedSchemas on crafted directories', () => {
  let root: string;
  const write = (dir: string, name: string, schema: object) =>
    writeFileSync(join(root, dir, name), JSON.stringify(schema));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'released-schemas-'));
    for (const dir of ['published', 'released']) mkdirSync(join(root, dir));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const v1 = { type: 'object', properties: { node: { type: 'string' } }, required: ['node'], additionalProperties: false };

  it('classifies unchanged, compatible, incompatible, new and removed files', () => {
    write('released', 'a.v1.schema.json', v1);
    write('published', 'a.v1.schema.json', v1);
    write('released', 'b.v1.schema.json', v1);
    write('published', 'b.v1.schema.json', { ...v1, description: 'Now documented.' });
    write('released', 'c.v1.schema.json', v1);
    write('published', 'c.v1.schema.json', { ...v1, properties: { name: { type: 'string' } }, required: ['name'] });
    write('published', 'c.v2.schema.json', { ...v1, properties: { name: { type: 'string' } }, required: ['name'] });
    write('released', 'd.v1.schema.json', v1);

    const byFile = Object.fromEntries(checkReleasedSchemas(join(root, 'published'), join(root, 'released')).map((c) => [c.file, c]));
    expect(byFile['a.v1.schema.json']?.status).toBe('unchanged');
    expect(byFile['b.v1.schema.json']?.status).toBe('compatible');
    expect(byFile['c.v1.schema.json']).toMatchObject({
      status: 'incompatible',
      problems: expect.arrayContaining(['node: property removed (or renamed)', 'name: new required property']),
    });
    expect(byFile['c.v2.schema.json']?.status).toBe('new');
    expect(byFile['d.v1.schema.json']?.status).toBe('removed');
  });
});
