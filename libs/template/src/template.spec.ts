import { parseTemplate } from './template';
import { TemplateError } from './core/template-error';
import type { SecretSource } from './secrets/secret-source';

const render = (src: string, env: Record<string, string> = {}) => parseTemplate(src, { name: 't.tmpl' }).render({ env });

/** A SecretSource over fixed bodies, shaped like Vault's KV v2 answers. */
function fakeSource(reads: Record<string, unknown>): SecretSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async read(path) {
      calls.push(path);
      if (path.startsWith('sys/internal/ui/mounts/')) return JSON.stringify({ data: { path: 'secret/', type: 'kv', options: { version: '2' } } });
      const body = reads[path];
      return body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    },
    async list() {
      return JSON.stringify({ data: { keys: ['b', 'a'] } });
    },
    async write() {
      return null;
    },
  };
}

describe('Template', () => {
  it.each([
    ['text and trimming', 'a {{- " b " -}} c', 'a b c'],
    ['variables persist to the end of the block', '{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}', '12'],
    ['floats print as Go %v', '{{ 1.5 }} {{ 1e6 }} {{ 3.0 }} {{ 100000.0 }}', '1.5 1e+06 3 100000'],
    ['range over a list with index', '{{ range $i, $v := split "," "a,b" }}{{ $i }}={{ $v }};{{ end }}', '0=a;1=b;'],
    ['range over a map is sorted', '{{ range $k, $v := parseJSON `{"b":1,"a":2}` }}{{ $k }}{{ $v }}{{ end }}', 'a2b1'],
    ['break and continue', '{{ range $i := loop 5 }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $i }}{{ end }}', '02'],
    ['define, template and block', '{{ define "x" }}X{{ . }}{{ end }}{{ template "x" 5 }}{{ block "y" 3 }}Y{{.}}{{ end }}', 'X5Y3'],
    ['missing keys print <no value>', '{{ .Foo }}', '<no value>'],
    ['else if chains', '{{ if and 1 0 }}a{{ else if 1 }}b{{ end }}', 'b'],
    ['maps print as Go maps', '{{ parseJSON `{"b":[1,"x"],"a":{"c":true}}` }}', 'map[a:map[c:true] b:[1 x]]'],
    ['toJSON escapes HTML as Go does', '{{ "<a&b>" | toJSON }}', '"\\u003ca\\u0026b\\u003e"'],
    ['printf bad verbs', '{{ printf "%d|%s|%v" "s" 1 }}', '%!d(string=s)|%!s(int=1)|%!v(MISSING)'],
    ['math argument order', '{{ 10 | subtract 3 }} {{ divide 2 10 }} {{ add 1.5 2 }}', '7 5 3.5'],
    ['env', '{{ env "HOME_X" }}|{{ envOrDefault "NOPE" "d" }}', 'h|d'],
  ])('%s', async (_name, src, expected) => {
    await expect(render(src, { HOME_X: 'h' })).resolves.toBe(expected);
  });

  it('reports parse errors with template, line and column before any read', () => {
    expect(() => parseTemplate('a\n{{ secrte "x" }}', { name: 'devwebapp.tmpl' })).toThrow('devwebapp.tmpl:2:4: function "secrte" not defined');
    expect(() => parseTemplate('{{ if 1 }}', { name: 'a.tmpl' })).toThrow(TemplateError);
  });

  it('reads KV v2 through the data/ path and keeps number text', async () => {
    const source = fakeSource({ 'secret/data/app': '{"data":{"data":{"port":5432,"ratio":1.0,"name":"db"},"metadata":{"deletion_time":""}}}' });
    const out = await parseTemplate('{{ with secret "secret/app" }}{{ .Data.data.port }} {{ .Data.data.ratio }} {{ .Data.data.name }}{{ end }}').render({ source });
    expect(out).toBe('5432 1.0 db');
    expect(source.calls).toContain('secret/data/app');
  });

  it('fails on a missing key with errorOnMissingKey', async () => {
    await expect(parseTemplate('{{ parseJSON `{}` | printf "%v" }}{{ (parseJSON `{}`).x }}', { errorOnMissingKey: true }).render()).rejects.toThrow('map has no entry for key "x"');
  });
});
