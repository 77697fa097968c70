import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with name, level label and ISO time', () => {
    const { lines, stream } = capture();
    createLogger({ name: 'unseal-keeper' }, stream).info({ node: 'vault-0' }, 'sealed');
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ name: 'unseal-keeper', level: 'info', node: 'vault-0', msg: 'sealed' });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it.each([
    ['a top-level token', { token: 's.SECRET-1' }],
    ['a nested root token', { init: { root_token: 's.SECRET-1' } }],
    ['unseal shares two levels down', { result: { init: { keys: ['SECRET-1'] } } }],
    ['an Authorization header', { req: { headers: { authorization: 'Bearer SECRET-1' } } }],
    ['a Vault token header', { req: { headers: { 'x-vault-token': 'SECRET-1' } } }],
    ['a password', { db: { password: 'SECRET-1' } }],
  ])('redacts %s', (_name, object) => {
    const { lines, stream } = capture();
    createLogger({ name: 't' }, stream).info(object, 'event');
    expect(lines[0]).not.toContain('SECRET-1');
    expect(lines[0]).toContain('[redacted]');
  });

  it('keeps non-secret fields', () => {
    const { lines, stream } = capture();
    createLogger({ name: 't' }, stream).info({ path: 'secret/data/app', version: 3 }, 'rotated');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ path: 'secret/data/app', version: 3 });
  });
});
