/**
 * The data every conformance case runs against: KV v2 at `secret/` (the dev server's mount),
 * KV v1 at `kv1/`, and a fixed environment. Bodies are raw JSON text so that number
 * spellings reach Vault exactly as written here.
 */
export const KV1_MOUNT = 'kv1';

export const kv2Secrets: Record<string, string> = {
  app: JSON.stringify({
    username: 'admin',
    password: 's3cr3t!',
    port: 5432,
    ratio: 0.75,
    enabled: true,
    disabled: false,
    empty: '',
    nothing: null,
    tags: ['a', 'b', 'c'],
    nested: { db: { host: 'db.local', port: 5432 }, list: [{ name: 'x' }, { name: 'y' }] },
    html: '<b>&amp;</b>',
    unicode: 'héllo wörld ✓ 日本 🎉',
    multiline: 'line1\nline2\n',
    spaces: '  padded  ',
    csv: 'a,b,,c',
    b64: 'aGVsbG8gd29ybGQ=',
    json: '{"k":"v","n":[1,2]}',
    yaml: 'a: 1\nb:\n  - x\n  - y\n',
    quote: 'say "hi" \\ bye',
    emptylist: [],
    emptymap: {},
  }),
  'devwebapp/config': JSON.stringify({ ID: '123', PASSWORD: 'pa$$w0rd' }),
  numbers: '{"data":{"int":42,"neg":-7,"zero":0,"float":3.14159,"big":12345678901234567890,"exp":1e21,"small":0.000001,"tiny":1e-7,"negfloat":-0.5,"onezero":1.0,"huge":1.7976931348623157e308,"str":"42"}}',
  yamlish: JSON.stringify({
    yes: 'yes',
    no: 'no',
    on: 'on',
    num: '123',
    float: '1.5',
    colon: 'a: b',
    dash: '- x',
    hash: 'a #b',
    empty: '',
    null: 'null',
    tilde: '~',
    date: '2001-01-01',
    lead: ' x',
    multi: 'a\nb',
    quote: "it's",
    star: '*x',
    bool: 'true',
    plain: 'hello world',
    url: 'http://x.y/z?a=b',
    at: '@home',
    pct: '50%',
  }),
  'list/one': JSON.stringify({ v: 1 }),
  'list/two': JSON.stringify({ v: 2 }),
  'list/sub/three': JSON.stringify({ v: 3 }),
  unicode: JSON.stringify({ 'ключ': 'значение', 'キー': '値', emoji: '🔑', combining: 'e\u0301', zwj: '👩‍💻', rtl: 'مرحبا' }),
  sortme: JSON.stringify({ b: 1, a: 2, B: 3, _: 4, '10': 5, '9': 6, 'é': 7, z: 8 }),
};

/** Written twice, so that `?version=1` and the latest differ. */
export const kv2Versioned: { path: string; versions: string[] } = {
  path: 'versioned',
  versions: [JSON.stringify({ v: 'one' }), JSON.stringify({ v: 'two', extra: 'x' })],
};

export const kv1Secrets: Record<string, string> = {
  app: JSON.stringify({ username: 'v1user', password: 'v1pass', count: 3, ratio: 2.5 }),
  nested: JSON.stringify({ a: { b: { c: 'deep' } }, list: [1, 'two', { three: 3 }, [4]] }),
};

/** The environment given to both renderers. */
export const caseEnv: Record<string, string> = {
  TPL_USER: 'alice',
  TPL_EMPTY: '',
  TPL_UNICODE: 'héllo wörld',
  TPL_SPACES: '  a b  ',
  TPL_NUMBER: '42',
};
