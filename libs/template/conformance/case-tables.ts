/**
 * Tables the recorder turns into case files. Each row is one template; its expected
 * output is whatever `bao agent` renders, recorded by record-cases.ts. Rows are grouped by
 * construct (the case folder).
 */
export interface CaseRow {
  construct: string;
  name: string;
  template: string;
  errorOnMissingKey?: boolean;
  leftDelim?: string;
  rightDelim?: string;
  volatile?: string;
  formatOnly?: { reason: string; regex: string };
}

const rows: CaseRow[] = [];
const add = (construct: string, name: string, template: string, extra: Partial<CaseRow> = {}): void => {
  rows.push({ construct, name, template, ...extra });
};
const APP = 'secret/app';
const withApp = (body: string): string => `{{ with secret "${APP}" }}${body}{{ end }}`;

// --- text and whitespace trimming
const trims: [string, string][] = [
  ['plain-text', 'hello\nworld\n'],
  ['empty-template', ''],
  ['left-trim', 'a   \n\t {{- "b" }}'],
  ['right-trim', '{{ "a" -}}   \n\n  b'],
  ['both-trim', 'x \n {{- "y" -}} \n z'],
  ['trim-newlines-only', 'a\n\n{{- "b" -}}\n\nc'],
  ['minus-number-not-trim', '{{-3}}'],
  ['minus-number-spaced', 'a {{ -3 }} b'],
  ['trim-comment', 'a  {{- /* comment */ -}}  b'],
  ['comment-keeps-space', 'a {{/* c */}} b'],
  ['multiline-comment', 'a{{/*\nmulti\nline\n*/}}b'],
  ['trim-before-range', 'list:\n{{- range $i := loop 3 }}\n  - {{ $i }}\n{{- end }}\n'],
  ['devwebapp-example', '{{ with secret "secret/data/devwebapp/config" -}}\nexport ID="{{ .Data.data.ID }}"\nexport PASSWORD="{{ .Data.data.PASSWORD}}"\n{{- end }}\n'],
  ['devwebapp-legacy-path', '{{ with secret "secret/devwebapp/config" -}}\nexport ID="{{ .Data.data.ID }}"\n{{- end }}\n'],
  ['crlf-text', 'a\r\n{{- "b" }}\r\n'],
  ['tabs-trimmed', 'a\t\t{{- "b" -}}\t\tc'],
  ['trim-to-start', '   {{- "start" }}'],
  ['trim-to-end', '{{ "end" -}}   \n'],
  ['trim-inside-if', '{{ if true -}}\n  yes\n{{- end }}'],
  ['trim-inside-else', '{{ if false }}no{{- else -}}\n  else\n{{ end }}'],
  ['no-trim-newline-after-end', '{{ if true }}\nline\n{{ end }}\nafter'],
  ['unicode-text', 'ünïcödé ✓ 日本語 🎉 {{ "mixed ✓" }}'],
  ['braces-in-text', 'a { b } {c} }} {'],
  ['only-action', '{{ "x" }}'],
  ['adjacent-actions', '{{ "a" }}{{ "b" }}{{ "c" }}'],
];
for (const [n, t] of trims) add('text', n, t);

// --- literals and printing
const literals: [string, string][] = [
  ['string', '{{ "str" }}'],
  ['raw-string', '{{ `raw\\n` }}'],
  ['escapes', '{{ "tab\\tnl\\nq\\"bs\\\\" }}'],
  ['unicode-escape', '{{ "\\u00e9\\U0001F600\\x41" }}'],
  ['int', '{{ 42 }}'],
  ['negative-int', '{{ -42 }}'],
  ['hex', '{{ 0x1F }}'],
  ['octal', '{{ 0o17 }} {{ 017 }}'],
  ['binary', '{{ 0b101 }}'],
  ['underscore', '{{ 1_000_000 }}'],
  ['float', '{{ 3.25 }}'],
  ['float-whole', '{{ 3.0 }}'],
  ['float-exp', '{{ 1e3 }} {{ 1.5e-3 }}'],
  ['float-big', '{{ 1e6 }} {{ 123456.0 }} {{ 1234567.0 }}'],
  ['float-small', '{{ 0.0001 }} {{ 0.00001 }}'],
  ['char', "{{ 'a' }} {{ '\\n' }} {{ '日' }}"],
  ['bool', '{{ true }} {{ false }}'],
  ['dot-top', '{{ . }}'],
  ['root-var', '{{ $ }}'],
  ['paren', '{{ ("x") }}'],
  ['paren-number', '{{ (1) }}'],
];
for (const [n, t] of literals) add('literals', n, t);

// --- variables and pipelines
const vars: [string, string][] = [
  ['declare', '{{ $x := "v" }}{{ $x }}'],
  ['assign', '{{ $x := 1 }}{{ $x = 2 }}{{ $x }}'],
  ['assign-in-if', '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}'],
  ['declare-in-if-scoped', '{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}'],
  ['declare-no-output', 'a{{ $x := "hidden" }}b'],
  ['pipe-simple', '{{ "abc" | toUpper }}'],
  ['pipe-chain', '{{ "  Abc  " | trimSpace | toLower | printf "%q" }}'],
  ['pipe-final-arg', '{{ "b" | printf "%s-%s" "a" }}'],
  ['paren-pipe', '{{ (printf "%s" "x") | toUpper }}'],
  ['nested-paren', '{{ printf "%s|%s" (toUpper "a") (toLower (toUpper "B")) }}'],
  ['var-field', withApp('{{ $d := .Data.data }}{{ $d.username }}')],
  ['var-root-in-with', withApp('{{ $ }}')],
  ['chain-field', withApp('{{ (.Data.data).nested.db.host }}')],
  ['secret-chain', '{{ (secret "secret/app").Data.data.username }}'],
  ['var-in-range-scope', '{{ $v := "outer" }}{{ range $i := loop 2 }}{{ $v := $i }}{{ $v }}{{ end }}{{ $v }}'],
  ['range-assign-outer', '{{ $last := -1 }}{{ range $i := loop 3 }}{{ $last = $i }}{{ end }}{{ $last }}'],
  ['pipe-decl', '{{ $x := "a" | toUpper }}{{ $x }}'],
  ['newline-in-action', '{{ printf\n  "%s-%s"\n  "a"\n  "b" }}'],
];
for (const [n, t] of vars) add('pipelines', n, t);

// --- control flow
const control: [string, string][] = [
  ['if-true', '{{ if true }}yes{{ end }}'],
  ['if-false-else', '{{ if false }}yes{{ else }}no{{ end }}'],
  ['if-empty-string', '{{ if "" }}yes{{ else }}no{{ end }}'],
  ['if-zero', '{{ if 0 }}yes{{ else }}no{{ end }}'],
  ['if-zero-float', '{{ if 0.0 }}yes{{ else }}no{{ end }}'],
  ['if-else-if', '{{ if false }}a{{ else if true }}b{{ else }}c{{ end }}'],
  ['if-else-if-chain', '{{ $n := 3 }}{{ if eq $n 1 }}one{{ else if eq $n 2 }}two{{ else if eq $n 3 }}three{{ else }}many{{ end }}'],
  ['if-secret-bool', withApp('{{ if .Data.data.enabled }}on{{ else }}off{{ end }}|{{ if .Data.data.disabled }}on{{ else }}off{{ end }}')],
  ['if-missing', withApp('{{ if .Data.data.missing }}yes{{ else }}no{{ end }}')],
  ['if-null', withApp('{{ if .Data.data.nothing }}yes{{ else }}no{{ end }}')],
  ['if-empty-list', withApp('{{ if .Data.data.emptylist }}yes{{ else }}no{{ end }}')],
  ['if-empty-map', withApp('{{ if .Data.data.emptymap }}yes{{ else }}no{{ end }}')],
  ['if-json-zero', '{{ with secret "secret/numbers" }}{{ if .Data.data.zero }}yes{{ else }}no{{ end }}{{ end }}'],
  ['with-value', withApp('{{ with .Data.data.username }}u={{ . }}{{ end }}')],
  ['with-else', withApp('{{ with .Data.data.empty }}x{{ else }}empty{{ end }}')],
  ['with-else-with', withApp('{{ with .Data.data.missing }}a{{ else with .Data.data.username }}b={{ . }}{{ else }}c{{ end }}')],
  ['with-var', withApp('{{ with $u := .Data.data.username }}{{ $u }}{{ . }}{{ end }}')],
  ['nested-with', withApp('{{ with .Data.data.nested }}{{ with .db }}{{ .host }}:{{ .port }}{{ end }}{{ end }}')],
  ['range-list', withApp('{{ range .Data.data.tags }}[{{ . }}]{{ end }}')],
  ['range-index', withApp('{{ range $i, $t := .Data.data.tags }}{{ $i }}:{{ $t }} {{ end }}')],
  ['range-one-var', withApp('{{ range $t := .Data.data.tags }}{{ $t }}{{ end }}')],
  ['range-map', withApp('{{ range $k, $v := .Data.data.nested.db }}{{ $k }}={{ $v }};{{ end }}')],
  ['range-map-values', withApp('{{ range .Data.data.nested.db }}{{ . }};{{ end }}')],
  ['range-empty-else', withApp('{{ range .Data.data.emptylist }}x{{ else }}none{{ end }}')],
  ['range-missing-else', withApp('{{ range .Data.data.missing }}x{{ else }}none{{ end }}')],
  ['range-int', '{{ range 3 }}{{ . }}{{ end }}'],
  ['range-int-var', '{{ range $i := 3 }}<{{ $i }}>{{ end }}'],
  ['range-break', '{{ range $i := loop 10 }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $i }}{{ end }}'],
  ['range-continue', '{{ range $i := loop 5 }}{{ if eq $i 2 }}{{ continue }}{{ end }}{{ $i }}{{ end }}'],
  ['range-nested', '{{ range $i := loop 2 }}{{ range $j := loop 2 }}{{ $i }}{{ $j }} {{ end }}{{ end }}'],
  ['range-nested-break', '{{ range $i := loop 3 }}{{ range $j := loop 3 }}{{ if eq $j 1 }}{{ break }}{{ end }}{{ $i }}{{ $j }} {{ end }}{{ end }}'],
  ['range-list-of-maps', withApp('{{ range .Data.data.nested.list }}{{ .name }},{{ end }}')],
  ['range-sorted-keys', '{{ with secret "secret/sortme" }}{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }} {{ end }}{{ end }}'],
  ['range-dollar', withApp('{{ range .Data.data.tags }}{{ $.Data.data.username }}-{{ . }} {{ end }}')],
  ['range-split', '{{ range split "," "x,y,z" }}<{{ . }}>{{ end }}'],
  ['range-loop-two-args', '{{ range loop 2 5 }}{{ . }}{{ end }}'],
  ['range-else-with-data', '{{ range $i, $v := split "," "" }}{{ $v }}{{ else }}empty split{{ end }}'],
];
for (const [n, t] of control) add('control', n, t);

// --- define / template / block / executeTemplate
const defs: [string, string][] = [
  ['define-template', '{{ define "greet" }}hi {{ . }}{{ end }}{{ template "greet" "bob" }}'],
  ['template-no-data', '{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" }}'],
  ['block', '{{ block "b" "x" }}block {{ . }}{{ end }}'],
  ['block-override', '{{ define "b" }}over {{ . }}{{ end }}{{ block "b" "x" }}default{{ end }}'],
  ['template-secret-data', '{{ define "user" }}{{ .username }}{{ end }}{{ with secret "secret/app" }}{{ template "user" .Data.data }}{{ end }}'],
  ['template-dollar', '{{ define "d" }}{{ $ }}{{ end }}{{ template "d" 5 }}'],
  ['template-recursive', '{{ define "r" }}{{ if gt . 0 }}{{ . }}{{ template "r" (subtract 1 .) }}{{ end }}{{ end }}{{ template "r" 3 }}'],
  ['execute-template', '{{ define "e" }}<{{ . }}>{{ end }}{{ executeTemplate "e" "v" | toUpper }}'],
  ['execute-template-no-dot', '{{ define "e" }}<{{ . }}>{{ end }}{{ executeTemplate "e" }}'],
  ['define-after-use', '{{ template "late" }}{{ define "late" }}late{{ end }}'],
  ['define-whitespace', 'a\n{{ define "x" }}X{{ end }}\nb{{ template "x" }}'],
];
for (const [n, t] of defs) add('define', n, t);

// --- Go builtins
const builtins: [string, string][] = [
  ['and', '{{ and 1 2 }} {{ and 0 2 }} {{ and "" "x" }}'],
  ['or', '{{ or 0 2 }} {{ or "" "" }} {{ or "a" "b" }}'],
  ['and-short-circuit', '{{ and false (index "" 5) }}'],
  ['or-short-circuit', '{{ or true (index "" 5) }}'],
  ['not', '{{ not true }} {{ not "" }} {{ not 0 }}'],
  ['eq-int', '{{ eq 1 1 }} {{ eq 1 2 }}'],
  ['eq-multi', '{{ eq 3 1 2 3 }} {{ eq 4 1 2 3 }}'],
  ['eq-string', '{{ eq "a" "a" }} {{ eq "a" "b" }}'],
  ['eq-secret-string', withApp('{{ eq .Data.data.username "admin" }}')],
  ['eq-json-number-string', '{{ with secret "secret/numbers" }}{{ eq .Data.data.int "42" }}{{ end }}'],
  ['eq-missing', withApp('{{ eq .Data.data.missing "x" }}')],
  ['eq-bool', '{{ eq true true }} {{ eq false true }}'],
  ['eq-float', '{{ eq 1.5 1.5 }}'],
  ['ne', '{{ ne 1 2 }} {{ ne "a" "a" }}'],
  ['lt-le-gt-ge-int', '{{ lt 1 2 }} {{ le 2 2 }} {{ gt 3 2 }} {{ ge 1 2 }}'],
  ['lt-string', '{{ lt "a" "b" }} {{ lt "b" "a" }} {{ lt "B" "a" }}'],
  ['lt-float', '{{ lt 1.5 2.5 }} {{ gt 1.5 2.5 }}'],
  ['len-string', '{{ len "abc" }} {{ len "日本" }} {{ len "" }}'],
  ['len-list', withApp('{{ len .Data.data.tags }} {{ len .Data.data.emptylist }}')],
  ['len-map', withApp('{{ len .Data.data.nested.db }}')],
  ['len-secret-data', withApp('{{ len .Data.data }}')],
  ['index-list', withApp('{{ index .Data.data.tags 1 }}')],
  ['index-map', withApp('{{ index .Data.data "username" }}')],
  ['index-map-missing', withApp('{{ index .Data.data "missing" }}')],
  ['index-nested', withApp('{{ index .Data.data.nested "db" "host" }}')],
  ['index-key-with-dash', '{{ with secret "secret/unicode" }}{{ index .Data.data "ключ" }}{{ end }}'],
  ['index-string', '{{ index "abc" 1 }}'],
  ['slice-string', '{{ slice "abcdef" 1 3 }} {{ slice "abcdef" 2 }} {{ slice "abcdef" }}'],
  ['slice-list', withApp('{{ slice .Data.data.tags 1 }} {{ slice .Data.data.tags 0 2 }}')],
  ['print', '{{ print "a" "b" 1 2 true "c" }}'],
  ['print-numbers', '{{ print 1 2 }}'],
  ['print-nil', withApp('{{ print .Data.data.missing }}|{{ print nil }}')],
  ['println', '{{ println "a" 1 }}'],
  ['html', '{{ html "<a href=\\"x\\">&\'</a>" }}'],
  ['html-pipe', withApp('{{ .Data.data.html | html }}')],
  ['js', '{{ js "it\'s <b> \\"q\\" = & \\\\ \\n" }}'],
  ['js-unicode', '{{ js "日本 ✓" }}'],
  ['urlquery', '{{ urlquery "a b&c=d/é" }}'],
  ['html-multi', '{{ html "a" 1 }}'],
];
for (const [n, t] of builtins) add('builtins', n, t);

// --- printf verbs (a table: format x value)
const printfRows: [string, string, string][] = [
  ['s-string', '%s', '"x"'],
  ['q-string', '%q', '"a\\"b\\n"'],
  ['v-string', '%v', '"x"'],
  ['d-int', '%d', '42'],
  ['5d', '%5d', '42'],
  ['-5d', '%-5d|', '42'],
  ['05d', '%05d', '42'],
  ['+d', '%+d', '42'],
  ['x-int', '%x', '255'],
  ['X-int', '%X', '255'],
  ['o-int', '%o', '8'],
  ['b-int', '%b', '5'],
  ['c-int', '%c', '65'],
  ['U-int', '%U', '65'],
  ['x-string', '%x', '"hi"'],
  ['f-float', '%f', '3.14159'],
  ['.2f', '%.2f', '3.14159'],
  ['8.3f', '%8.3f', '3.14159'],
  ['e-float', '%e', '1234.5678'],
  ['g-float', '%g', '1234.5678'],
  ['v-float', '%v', '0.1'],
  ['t-bool', '%t', 'true'],
  ['s-int-bad', '%s', '5'],
  ['d-string-bad', '%d', '"s"'],
  ['missing-arg', '%s %s', '"one"'],
  ['extra-arg', '%s', '"one" "two"'],
  ['percent', '100%% %s', '"x"'],
  ['10s', '[%10s]', '"right"'],
  ['-10s', '[%-10s]', '"left"'],
  ['.2s', '%.2s', '"abcdef"'],
  ['v-nil', '%v', 'nil'],
  ['T', '%T %T %T', '"s" 1 1.5'],
  ['d-json-number', '%d', '(secret "secret/numbers").Data.data.int'],
  ['v-json-number', '%v', '(secret "secret/numbers").Data.data.float'],
  ['s-json-number', '%s', '(secret "secret/numbers").Data.data.int'],
  ['v-list', '%v', '(secret "secret/app").Data.data.tags'],
  ['q-list', '%q', '(secret "secret/app").Data.data.tags'],
  ['v-map', '%v', '(secret "secret/app").Data.data.nested.db'],
  ['s-bool-bad', '%s', 'true'],
  ['x-unicode', '%x', '"é"'],
];
for (const [n, f, args] of printfRows) add('printf', n, `{{ printf "${f.replace(/"/g, '\\"')}" ${args} }}`);

export { rows as baseRows, add, APP, withApp };

// --- consul-template functions
const N = 'secret/numbers';
const withN = (body: string): string => `{{ with secret "${N}" }}${body}{{ end }}`;
const funcs: [string, string][] = [
  ['base64Encode', '{{ base64Encode "hello world" }} {{ base64Encode "日本" }}'],
  ['base64Decode', withApp('{{ base64Decode .Data.data.b64 }}')],
  ['base64URLEncode', '{{ base64URLEncode "??>>" }}'],
  ['base64URLDecode', '{{ base64URLDecode "Pz8-Pg==" }}'],
  ['sha256Hex', '{{ sha256Hex "abc" }}'],
  ['md5sum', '{{ md5sum "abc" }}'],
  ['hmacSHA256Hex', '{{ hmacSHA256Hex "message" "key" }}'],
  ['split', '{{ split "," "a,b,c" }}'],
  ['split-empty-fields', withApp('{{ split "," .Data.data.csv }}')],
  ['split-empty', '{{ split "," "" }}|{{ len (split "," "  ") }}'],
  ['join', '{{ split "," "a,b,c" | join "-" }}'],
  ['join-secrets', '{{ secrets "secret/list" | join "," }}'],
  ['trimSpace', '[{{ trimSpace "  x y \\n\\t" }}]'],
  ['trim', '{{ trim "xy" "xxhixyy" }}'],
  ['trimPrefix', '{{ trimPrefix "pre" "prefix" }} {{ trimPrefix "no" "prefix" }}'],
  ['trimSuffix', '{{ trimSuffix "fix" "prefix" }}'],
  ['toLower', '{{ toLower "MiXeD ÄÖ" }}'],
  ['toUpper', '{{ toUpper "mixed äö ß" }}'],
  ['toTitle', '{{ toTitle "hello wORLD foo-bar it\'s" }}'],
  ['replaceAll', '{{ replaceAll "a" "o" "banana" }}'],
  ['replaceAll-pipe', withApp('{{ .Data.data.username | replaceAll "min" "MIN" }}')],
  ['contains', '{{ "abc" | contains "b" }} {{ "abc" | contains "z" }}'],
  ['contains-list', withApp('{{ .Data.data.tags | contains "b" }}')],
  ['in', withApp('{{ in .Data.data.tags "c" }} {{ in .Data.data.tags "z" }} {{ in "hello" "ell" }}')],
  ['containsAny', withApp('{{ .Data.data.tags | containsAny (parseJSON `["z","a"]`) }}')],
  ['containsAll', withApp('{{ .Data.data.tags | containsAll (parseJSON `["a","b"]`) }} {{ .Data.data.tags | containsAll (parseJSON `["a","q"]`) }}')],
  ['containsNone', withApp('{{ .Data.data.tags | containsNone (parseJSON `["x"]`) }}')],
  ['containsNotAll', withApp('{{ .Data.data.tags | containsNotAll (parseJSON `["a","x"]`) }}')],
  ['indent', '{{ indent 4 "a\\nb\\n\\nc" }}'],
  ['indent-secret', withApp('{{ .Data.data.multiline | indent 2 }}')],
  ['regexMatch', '{{ regexMatch "^a.c$" "abc" }} {{ regexMatch "^\\\\d+$" "12a" }}'],
  ['regexReplaceAll', '{{ regexReplaceAll "(\\\\w+)@(\\\\w+)" "$2 at $1" "me@home you@work" }}'],
  ['regexReplaceAll-braces', '{{ regexReplaceAll "a(x*)b" "${1}W" "-ab-axxb-" }}'],
  ['env', '{{ env "TPL_USER" }}|{{ env "TPL_UNICODE" }}|{{ env "TPL_UNSET" }}|'],
  ['env-spaces', '[{{ env "TPL_SPACES" }}]'],
  ['envOrDefault', '{{ envOrDefault "TPL_USER" "d" }} {{ envOrDefault "TPL_UNSET" "dflt" }} [{{ envOrDefault "TPL_EMPTY" "d" }}]'],
  ['parseBool', '{{ parseBool "true" }} {{ parseBool "0" }} {{ parseBool "" }}'],
  ['parseInt', '{{ parseInt "-42" | add 1 }} {{ parseInt "" }}'],
  ['parseFloat', '{{ parseFloat "1.5" }} {{ parseFloat "2" }} {{ parseFloat "1e7" }}'],
  ['parseUint', '{{ parseUint "42" }}'],
  ['parseJSON', withApp('{{ with parseJSON .Data.data.json }}{{ .k }} {{ .n }}{{ end }}')],
  ['parseJSON-floats', '{{ (parseJSON `{"a":1,"b":1.5,"c":100000000}`) }}'],
  ['parseYAML', withApp('{{ with parseYAML .Data.data.yaml }}{{ .a }} {{ .b }}{{ end }}')],
  ['toJSON-string', '{{ "a\\"b<>&\\u2028" | toJSON }}'],
  ['toJSON-data', withApp('{{ .Data.data | toJSON }}')],
  ['toJSON-nested', withApp('{{ .Data.data.nested | toJSON }}')],
  ['toJSON-list', '{{ split "," "a,b" | toJSON }}'],
  ['toJSON-missing', withApp('{{ .Data.data.missing | toJSON }}')],
  ['toJSON-numbers', withN('{{ .Data.data | toJSON }}')],
  ['toJSONPretty', withApp('{{ .Data.data.nested | toJSONPretty }}')],
  ['toJSONPretty-empty', withApp('{{ .Data.data.emptymap | toJSONPretty }} {{ .Data.data.emptylist | toJSONPretty }}')],
  ['toUnescapedJSON', withApp('{{ .Data.data.html | toUnescapedJSON }}')],
  ['toUnescapedJSONPretty', withApp('{{ .Data.data.nested.db | toUnescapedJSONPretty }}')],
  ['toYAML-data', withApp('{{ .Data.data | toYAML }}')],
  ['toYAML-nested', withApp('{{ .Data.data.nested | toYAML }}')],
  ['toYAML-quoting', '{{ with secret "secret/yamlish" }}{{ .Data.data | toYAML }}{{ end }}'],
  ['toYAML-numbers', withN('{{ .Data.data | toYAML }}')],
  ['toYAML-list', '{{ split "," "a,b" | toYAML }}'],
  ['toYAML-string', '{{ "plain" | toYAML }}'],
  ['toTOML-data', withApp('{{ .Data.data.nested | toTOML }}')],
  ['toTOML-string', '{{ "x" | toTOML }} {{ split "," "a,b" | toTOML }}'],
  ['toTOML-flat', '{{ with secret "secret/devwebapp/config" }}{{ .Data.data | toTOML }}{{ end }}'],
  ['toTOML-numbers', withN('{{ .Data.data | toTOML }}')],
  ['add', '{{ add 1 2 }} {{ add 1.5 2 }} {{ 5 | add 10 }}'],
  ['subtract', '{{ subtract 1 10 }} {{ 10 | subtract 3 }}'],
  ['multiply', '{{ multiply 3 4 }} {{ multiply 1.5 2 }}'],
  ['divide', '{{ divide 2 10 }} {{ divide 4 10 }} {{ divide 4.0 10 }}'],
  ['modulo', '{{ modulo 3 10 }}'],
  ['minimum', '{{ minimum 3 10 }} {{ minimum 2.5 1 }}'],
  ['maximum', '{{ maximum 3 10 }} {{ maximum 2.5 1 }}'],
  ['math-parseInt-secret', withN('{{ parseInt .Data.data.str | multiply 2 }}')],
  ['loop', '{{ range loop 3 }}{{ . }}{{ end }}'],
  ['splitToMap', '{{ splitToMap "," "=" "a=1,b=2,c" }}'],
  ['explodeMap', '{{ parseJSON `{"a/b":1,"a/c":2,"d":3}` | explodeMap }}'],
  ['mergeMap', '{{ mergeMap (parseJSON `{"a":1}`) (parseJSON `{"a":2,"b":3}`) }}'],
  ['mergeMapWithOverride', '{{ mergeMapWithOverride (parseJSON `{"a":1}`) (parseJSON `{"a":2,"b":3}`) }}'],
  ['sprig-upper', '{{ sprig_upper "abc" }}'],
  ['sprig-default', '{{ "" | sprig_default "dflt" }} {{ "x" | sprig_default "dflt" }}'],
  ['sprig-quote', '{{ sprig_quote "a" }}'],
  ['sprig-replace', '{{ "aaa" | sprig_replace "a" "b" }}'],
];
for (const [n, t] of funcs) add('functions', n, t);

// --- secrets: KV v1 / v2, paths, versions, list, write
const secrets: [string, string, string?][] = [
  ['kv2-legacy-path', '{{ with secret "secret/app" }}{{ .Data.data.username }}{{ end }}'],
  ['kv2-data-path', '{{ with secret "secret/data/app" }}{{ .Data.data.username }}{{ end }}'],
  ['kv2-leading-slash', '{{ with secret "/secret/app/" }}{{ .Data.data.username }}{{ end }}'],
  ['kv2-version-1', '{{ with secret "secret/versioned?version=1" }}{{ .Data.data.v }} v{{ .Data.metadata.version }}{{ end }}'],
  ['kv2-version-latest', '{{ with secret "secret/versioned" }}{{ .Data.data.v }} v{{ .Data.metadata.version }}{{ end }}'],
  ['kv2-metadata-version', '{{ with secret "secret/app" }}{{ .Data.metadata.version }} {{ .Data.metadata.destroyed }} [{{ .Data.metadata.deletion_time }}]{{ end }}'],
  ['kv2-metadata-path', '{{ with secret "secret/metadata/versioned" }}{{ .Data.current_version }} {{ .Data.max_versions }}{{ end }}'],
  ['kv1-read', '{{ with secret "kv1/app" }}{{ .Data.username }}:{{ .Data.password }} {{ .Data.count }} {{ .Data.ratio }}{{ end }}'],
  ['kv1-map', '{{ with secret "kv1/app" }}{{ .Data }}{{ end }}'],
  ['kv1-nested', '{{ with secret "kv1/nested" }}{{ .Data.a.b.c }} {{ .Data.list }}{{ end }}'],
  ['kv1-toJSON', '{{ with secret "kv1/nested" }}{{ .Data | toJSON }}{{ end }}'],
  ['kv1-range', '{{ with secret "kv1/app" }}{{ range $k, $v := .Data }}{{ $k }}={{ $v }}\n{{ end }}{{ end }}'],
  ['secret-fields', '{{ with secret "kv1/app" }}[{{ .LeaseID }}] {{ .LeaseDuration }} {{ .Renewable }} {{ .Warnings }} {{ .Auth }} {{ .WrapInfo }}{{ end }}'],
  ['secret-request-id-set', '{{ with secret "kv1/app" }}{{ if .RequestID }}has id{{ end }}{{ end }}'],
  ['secrets-list-kv2', '{{ range secrets "secret/list" }}{{ . }};{{ end }}'],
  ['secrets-list-kv2-metadata', '{{ range secrets "secret/metadata/list" }}{{ . }};{{ end }}'],
  ['secrets-list-kv1', '{{ range secrets "kv1/" }}{{ . }};{{ end }}'],
  ['secrets-print', '{{ secrets "secret/list" }}'],
  ['secrets-nested-read', '{{ range secrets "secret/list/" }}{{ with secret (printf "secret/list/%s" .) }}{{ .Data.data.v }}{{ end }}{{ end }}'],
  ['secret-write-hash', '{{ with secret "sys/tools/hash/sha256" "input=aGVsbG8=" "format=hex" }}{{ .Data.sum }}{{ end }}'],
  ['secret-write-hash-spaces', '{{ with secret "sys/tools/hash/sha512" " input = d29ybGQ= " }}{{ .Data.sum }}{{ end }}'],
  ['two-secrets', '{{ with secret "secret/app" }}{{ .Data.data.username }}{{ end }}-{{ with secret "kv1/app" }}{{ .Data.username }}{{ end }}'],
  ['secret-dependent-path', '{{ with secret "secret/devwebapp/config" }}{{ with secret (printf "kv1/%s" "app") }}{{ .Data.count }}{{ end }}{{ end }}'],
  ['same-secret-twice', '{{ (secret "secret/app").Data.data.username }}{{ (secret "secret/app").Data.data.password }}'],
  ['kv2-whole-data-map', '{{ with secret "secret/devwebapp/config" }}{{ .Data.data }}{{ end }}'],
  ['kv2-whole-data-volatile', '{{ with secret "secret/devwebapp/config" }}{{ .Data }}{{ end }}', 'KV v2 metadata carries created_time'],
];
for (const [n, t, volatile] of secrets) add('secrets', n, t, volatile ? { volatile } : {});
// Every read gets a new request id, so these two can only be checked by shape.
add('secrets', 'secret-struct', '{{ secret "kv1/app" }}', {
  formatOnly: { reason: 'the request id is new on every read', regex: '^\\{[0-9a-f-]{36}  2764800 false map\\[count:3 password:v1pass ratio:2\\.5 username:v1user\\] \\[\\] <nil> <nil>\\}$' },
});
add('secrets', 'secret-toJSON-struct', '{{ secret "kv1/app" | toJSON }}', {
  formatOnly: {
    reason: 'the request id is new on every read',
    regex: '^\\{"RequestID":"[0-9a-f-]{36}","LeaseID":"","LeaseDuration":2764800,"Renewable":false,"Data":\\{"count":3,"password":"v1pass","ratio":2\\.5,"username":"v1user"\\},"Warnings":null,"Auth":null,"WrapInfo":null\\}$',
  },
});

// --- numbers: every JSON shape through several renderings
for (const key of ['int', 'neg', 'zero', 'float', 'big', 'exp', 'small', 'tiny', 'negfloat', 'onezero', 'huge', 'str']) {
  add('numbers', `print-${key}`, withN(`{{ .Data.data.${key} }}|{{ print .Data.data.${key} }}|{{ printf "%v" .Data.data.${key} }}`));
  add('numbers', `json-${key}`, withN(`{{ .Data.data.${key} | toJSON }}`));
}
add('numbers', 'literal-math', '{{ add 0.1 0.2 }} {{ multiply 1e10 1e10 }} {{ divide 3.0 1 }}');
add('numbers', 'int-overflow-wrap', '{{ multiply 9223372036854775807 2 }}');
add('numbers', 'negative-zero', '{{ multiply -1.0 0.0 }}');

// --- unicode
const unicode: [string, string][] = [
  ['keys', '{{ with secret "secret/unicode" }}{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }}|{{ end }}{{ end }}'],
  ['toJSON', '{{ with secret "secret/unicode" }}{{ .Data.data | toJSON }}{{ end }}'],
  ['len-bytes', '{{ with secret "secret/unicode" }}{{ len .Data.data.emoji }} {{ len .Data.data.combining }} {{ len .Data.data.zwj }}{{ end }}'],
  ['upper', withApp('{{ .Data.data.unicode | toUpper }}')],
  ['printf-q', withApp('{{ printf "%q" .Data.data.unicode }}')],
  ['slice-bytes', '{{ slice "héllo" 0 3 }}'],
  ['split-unicode', '{{ split "✓" "a✓b✓c" }}'],
  ['base64', withApp('{{ .Data.data.unicode | base64Encode }}')],
  ['html-unicode', withApp('{{ .Data.data.unicode | html }}')],
  ['toYAML-unicode', '{{ with secret "secret/unicode" }}{{ .Data.data | toYAML }}{{ end }}'],
  ['map-print', '{{ with secret "secret/unicode" }}{{ .Data.data }}{{ end }}'],
];
for (const [n, t] of unicode) add('unicode', n, t);

// --- missing and empty values
const missing: [string, string, boolean?][] = [
  ['missing-key', withApp('{{ .Data.data.missing }}')],
  ['missing-top-field', '{{ .Foo }}'],
  ['missing-top-chain', '{{ .Foo.Bar }}'],
  ['null-value', withApp('[{{ .Data.data.nothing }}]')],
  ['empty-string', withApp('[{{ .Data.data.empty }}]')],
  ['empty-list-print', withApp('{{ .Data.data.emptylist }} {{ .Data.data.emptymap }}')],
  ['missing-in-printf', withApp('{{ printf "%v|%s" .Data.data.missing .Data.data.missing }}')],
  ['missing-var', withApp('{{ $m := .Data.data.missing }}{{ $m }}')],
  ['missing-index', withApp('{{ index .Data.data "nope" }}')],
  ['missing-key-error-present', withApp('{{ .Data.data.username }}'), true],
  ['missing-key-error-with', withApp('{{ with .Data.data.username }}{{ . }}{{ end }}'), true],
  ['null-in-list', '{{ parseJSON `[1,null,"x"]` }}'],
  ['null-toJSON', withApp('{{ .Data.data.nothing | toJSON }}')],
];
for (const [n, t, err] of missing) add('missing', n, t, err ? { errorOnMissingKey: true } : {});

// --- the two default templates vault-k8s generates
for (const path of ['secret/app', 'secret/data/devwebapp/config', 'kv1/app', 'kv1/nested', 'secret/numbers', 'secret/unicode']) {
  const slug = path.replace(/\//g, '-');
  const kv2 = path.startsWith('secret/');
  add('defaults', `map-${slug}`, `{{ with secret "${path}" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}`, kv2 ? { volatile: 'KV v2 metadata carries created_time' } : {});
  add('defaults', `json-${slug}`, `{{ with secret "${path}" }}{{ .Data | toJSON }}\n{{ end }}`, kv2 ? { volatile: 'KV v2 metadata carries created_time' } : {});
}

// --- custom delimiters (the agent's left_delimiter / right_delimiter)
add('delimiters', 'square', '[[ with secret "secret/app" ]][[ .Data.data.username ]] {{ not an action }}[[ end ]]', { leftDelim: '[[', rightDelim: ']]' });
add('delimiters', 'trim', 'a  [[- "b" -]]  c', { leftDelim: '[[', rightDelim: ']]' });
add('delimiters', 'angle-comment', '<% /* c */ %><% range split "," "x,y" %>(<% . %>)<% end %>', { leftDelim: '<%', rightDelim: '%>' });
add('delimiters', 'angle', '<%- range split "," "x,y" -%>(<% . %>)<%- end %>', { leftDelim: '<%', rightDelim: '%>' });

// --- errors: both renderers must fail
const errors: [string, string, boolean?][] = [
  ['undefined-function', '{{ secrte "secret/app" }}'],
  ['unclosed-action', '{{ "x" '],
  ['unclosed-if', '{{ if true }}x'],
  ['extra-end', '{{ end }}'],
  ['undefined-variable', '{{ $nope }}'],
  ['bad-number', '{{ 3x }}'],
  ['break-outside-range', '{{ break }}'],
  ['missing-key-error', withApp('{{ .Data.data.missing }}'), true],
  ['missing-top-key-error', '{{ .Foo }}', true],
  ['nil-pointer-field', withApp('{{ .Data.data.missing.deeper }}')],
  ['field-on-string', withApp('{{ .Data.data.username.x }}')],
  ['bad-struct-field', withApp('{{ .Nope }}')],
  ['no-such-secret', '{{ with secret "secret/does-not-exist" }}{{ .Data }}{{ end }}'],
  ['no-such-template', '{{ template "nope" }}'],
  ['wrong-arg-count', '{{ toUpper "a" "b" }}'],
  ['wrong-arg-type', withN('{{ .Data.data.int | toUpper }}')],
  ['eq-incompatible', withN('{{ eq .Data.data.int 42 }}')],
  ['add-json-number', withN('{{ add .Data.data.int 1 }}')],
  ['join-interface-slice', withApp('{{ join "," .Data.data.tags }}')],
  ['index-out-of-range', withApp('{{ index .Data.data.tags 10 }}')],
  ['len-of-int', '{{ len 3 }}'],
  ['divide-by-zero', '{{ divide 0 1 }}'],
  ['base64-invalid', '{{ base64Decode "!!!" }}'],
  ['parseInt-invalid', '{{ parseInt "abc" }}'],
  ['parseJSON-invalid', '{{ parseJSON "{" }}'],
  ['range-over-string', '{{ range "abc" }}{{ . }}{{ end }}'],
  ['nil-command', '{{ nil }}'],
  ['non-executable-stage', '{{ "a" | "b" }}'],
  ['secret-bad-kv-arg', '{{ secret "sys/tools/hash/sha256" "noequals" }}'],
  ['mustEnv-unset', '{{ mustEnv "TPL_UNSET" }}'],
  ['lt-bool', '{{ lt true false }}'],
];
for (const [n, t, err] of errors) add('errors', n, t, err ? { errorOnMissingKey: true } : {});

// --- timestamp: the clock differs between runs, so only the format is checked
add('timestamp', 'rfc3339', '{{ timestamp }}', { formatOnly: { reason: 'the clock', regex: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$' } });
add('timestamp', 'unix', '{{ timestamp "unix" }}', { formatOnly: { reason: 'the clock', regex: '^\\d{10}$' } });
add('timestamp', 'layout', '{{ timestamp "2006-01-02" }}', { formatOnly: { reason: 'the clock', regex: '^\\d{4}-\\d\\d-\\d\\d$' } });
add('timestamp', 'layout-words', '{{ timestamp "Mon Jan _2 15:04:05 MST 2006" }}', { formatOnly: { reason: 'the clock', regex: '^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4}$' } });

export const caseRows: readonly CaseRow[] = rows;
