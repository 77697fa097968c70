/**
 * Error texts the agent takes from Go libraries (issue 14, "errors included"): libyaml's
 * parser errors through parseYAML (go-yaml-errors), encoding/json on maps with keys that
 * are not strings (go-json-errors), x509/PEM errors of Sprig's certificate functions and
 * AES inputs (go-sprig-pem-errors), and bcrypt of raw bytes (go-bcrypt-bytes).
 */
import type { CaseRow } from './case-tables';

const rows: CaseRow[] = [];
const table = (construct: string, entries: readonly (readonly [string, string])[]): void => {
  for (const [name, template] of entries) rows.push({ construct, name, template });
};

table('go-json-errors', [
  ['float-key-root', '{{ parseYAML "1.5: a" | toJSON }}'],
  ['bool-key-root', '{{ parseYAML "true: a\\nb: 1" | toJSON }}'],
  ['null-key-root', '{{ parseYAML "~: a" | toJSONPretty }}'],
  ['nested-map', '{{ parseYAML "a: {1.5: x}" | toJSON }}'],
  ['nested-after-siblings', '{{ parseYAML "b: 1\\na: {z: 1, 1.5: x}\\nc: [1, 2]" | toJSON }}'],
  ['inside-list-pretty', '{{ parseYAML "a: [1, {true: 2}]" | toJSONPretty }}'],
  ['deep-path', '{{ parseYAML "a: 1\\nb: {c: [1, {2.5: 3}]}" | toJSON }}'],
  ['int-key-path', '{{ parseYAML "10: a\\n9: {1.5: 3}" | toJSON }}'],
  ['pointer-escapes', '{{ parseYAML "a/b: {c~d: {false: 1}}" | toJSON }}'],
  ['html-escaped-offset', '{{ parseYAML "\\"<a>\\": \\"&\\"\\nz: {1.5: 1}" | toJSON }}'],
  ['html-unescaped-offset', '{{ parseYAML "\\"<a>\\": \\"&\\"\\nz: {1.5: 1}" | toUnescapedJSON }}'],
  ['unicode-offset', '{{ parseYAML "é: ü€\\nz: {1.5: 1}" | toUnescapedJSONPretty }}'],
  ['sprig-toJson-empty', '{{ parseYAML "1.5: a" | sprig_toJson | printf "%q" }}|{{ parseYAML "x: {false: a}" | sprig_toPrettyJson | printf "%q" }}|{{ parseYAML "~: a" | sprig_toRawJson | printf "%q" }}'],
  ['sprig-mustToJson', '{{ parseYAML "1.5: a" | sprig_mustToJson }}'],
  ['sprig-mustToPrettyJson', '{{ parseYAML "a: [{x: {.inf: 1}}]" | sprig_mustToPrettyJson }}'],
  ['sprig-mustToRawJson', '{{ parseYAML "k: {null: 1}" | sprig_mustToRawJson }}'],
  ['sprig-mustToJson-chan', '{{ loop 3 | sprig_mustToJson }}'],
]);

// libyaml's parser errors through parseYAML: yaml.v2 numbers the line of a parser error from
// 0 (the token's line) and of a scanner error from 1; what follows the first document is not read.
table('go-yaml-errors', [
  ["flow-seq-unclosed", "{{ parseYAML \"[1, 2\" }}"],
  ["flow-map-unclosed", "{{ parseYAML \"{a: 1\" }}"],
  ["flow-map-unclosed-key", "{{ parseYAML \"{a: 1, b\" }}"],
  ["flow-seq-unclosed-next-line", "{{ parseYAML \"a: [1, 2\\nb: 3\" }}"],
  ["flow-seq-unclosed-multiline", "{{ parseYAML \"list: [one, two,\\n  three\\nnext: 1\" }}"],
  ["flow-seq-wrong-close", "{{ parseYAML \"a: [b}\" }}"],
  ["flow-map-wrong-close", "{{ parseYAML \"a: {b]\" }}"],
  ["flow-seq-nested-wrong-close", "{{ parseYAML \"{a: 1, b: [1, 2}, c: 3}\" }}"],
  ["flow-seq-map-wrong-close", "{{ parseYAML \"- [a, {b: c]\" }}"],
  ["flow-seq-text-after", "{{ parseYAML \"foo: [a, b, c] d\" }}"],
  ["flow-seq-extra-close-ignored", "{{ parseYAML \"[a, b]]\" }}"],
  ["flow-map-extra-close-ignored", "{{ parseYAML \"{a: 1}}\" }}"],
  ["flow-seq-in-seq-eof", "{{ parseYAML \"- - - [\\n\" }}"],
  ["flow-complex-key", "{{ parseYAML \"{ ? a : b, c }\" }}"],
  ["flow-seq-nested-values", "{{ parseYAML \"[a: b: c]\" }}"],
  ["dedent-sibling", "{{ parseYAML \"a:\\n  b: 1\\n c: 2\" }}"],
  ["indent-continuation", "{{ parseYAML \"a: 1\\n  b: 2\" }}"],
  ["indent-realistic-config", "{{ parseYAML \"key: value\\n  bad: indent\\nother: 1\" }}"],
  ["indent-server-block", "{{ parseYAML \"server:\\n  port: 80\\n   host: x\" }}"],
  ["indent-items", "{{ parseYAML \"items:\\n- a\\n - b\" }}"],
  ["indent-block-scalar-end", "{{ parseYAML \"a: |\\n  x\\n y: 1\" }}"],
  ["seq-then-map", "{{ parseYAML \"- a\\nb: 1\" }}"],
  ["map-then-seq", "{{ parseYAML \"a: 1\\n- b\" }}"],
  ["seq-nested-dedent", "{{ parseYAML \"- 1\\n- 2\\n  - 3\\n x\" }}"],
  ["complex-keys-then-seq", "{{ parseYAML \"? a\\n? b\\n: c\\n- d\" }}"],
  ["mapping-in-seq-then-seq", "{{ parseYAML \"- a: 1\\n  - b\" }}"],
  ["seq-entry-no-space", "{{ parseYAML \"a:\\n  - 1\\n  -2\\n  b: 3\" }}"],
  ["seq-entry-no-space-top", "{{ parseYAML \"a:\\n- 1\\n-2\\nb: 3\" }}"],
  ["value-after-value", "{{ parseYAML \"a: b\\n? c\\n: d\\n: e\" }}"],
  ["plain-key-without-value", "{{ parseYAML \"x: y\\nz\" }}"],
  ["mapping-value-inline", "{{ parseYAML \"a: b: c\" }}"],
  ["directive-duplicate-yaml", "{{ parseYAML \"%YAML 1.1\\n%YAML 1.1\\n--- a\" }}"],
  ["directive-yaml-1-2", "{{ parseYAML \"%YAML 1.2\\n--- a\" }}"],
  ["directive-without-document-start", "{{ parseYAML \"%YAML 1.1\\na: 1\" }}"],
  ["directive-duplicate-tag", "{{ parseYAML \"%TAG !e! tag:x,2000:\\n%TAG !e! tag:y,2000:\\n--- a\" }}"],
  ["directive-unknown", "{{ parseYAML \"%FOO bar\\n--- a\" }}"],
  ["directive-trailing-junk", "{{ parseYAML \"%YAML 1.1 junk\\n--- a\" }}"],
  ["directive-version-no-minor", "{{ parseYAML \"%YAML 1.\\n--- a\" }}"],
  ["directive-version-too-long", "{{ parseYAML \"%YAML 123.1\\n--- a\" }}"],
  ["directive-tag-no-prefix", "{{ parseYAML \"%TAG ! \\n--- a\" }}"],
  ["directive-tag-bad-handle", "{{ parseYAML \"%TAG !x tag:\\n--- a\" }}"],
  ["tag-undefined-handle", "{{ parseYAML \"!e!foo bar\" }}"],
  ["tag-bad-uri-escape", "{{ parseYAML \"a: !x%zz b\" }}"],
  ["tag-verbatim-unclosed-seq", "{{ parseYAML \"!<tag:x> [1\" }}"],
  ["tag-then-unclosed", "{{ parseYAML \"a: !!str\\nb: [\" }}"],
  ["quoted-unterminated-single", "{{ parseYAML \"key: 'unterminated\" }}"],
  ["quoted-bad-escape", "{{ parseYAML \"a: \\\"x\\\\qy\\\"\" }}"],
  ["quoted-short-unicode", "{{ parseYAML \"a: \\\"\\\\u00\\\"\" }}"],
  ["quoted-surrogate-escape", "{{ parseYAML \"a: \\\"\\\\uD800\\\"\" }}"],
  ["quoted-short-hex", "{{ parseYAML \"a: \\\"\\\\x4\\\"\" }}"],
  ["quoted-document-marker", "{{ parseYAML \"a: 'x\\n---\\ny'\" }}"],
  ["tab-indent", "{{ parseYAML \"\\ta: 1\" }}"],
  ["tab-before-seq", "{{ parseYAML \"a:\\n\\t- 1\" }}"],
  ["block-scalar-tab", "{{ parseYAML \"a: >\\n\\t x\" }}"],
  ["block-scalar-zero-indent", "{{ parseYAML \"a: |0\\n x\" }}"],
  ["anchor-unknown", "{{ parseYAML \"a: *nope\" }}"],
  ["anchor-unknown-later", "{{ parseYAML \"a: &x 1\\nb: *x\\nc: *y\" }}"],
  ["anchor-contains-itself", "{{ parseYAML \"&a [*a]\" }}"],
  ["reserved-at", "{{ parseYAML \"a: @x\" }}"],
  ["reserved-backtick", "{{ parseYAML \"a: `x\" }}"],
  ["second-document-ignored", "{{ parseYAML \"a: 1\\n---\\n[1, 2\" }}"],
  ["document-end-junk-ignored", "{{ parseYAML \"a: 1\\n... junk\" }}"],
  ["explicit-documents", "{{ parseYAML \"--- [1,\\n...\\n--- x\" }}"],
  ["control-character", "{{ parseYAML \"\\u0001a: b\" }}"],
  ["control-character-late", "{{ parseYAML \"a: b\\u0007\" }}"],
  ['long-config-error-late', '{{ $y := printf "%s\\nbroken: [1, 2\\nlast: 1" (sprig_repeat 40 "key: value\\n") }}{{ parseYAML $y }}'],
  ['long-config-control-char-late', '{{ $y := printf "%s\\nbad: \\x01" (sprig_repeat 60 "key: value\\n") }}{{ parseYAML $y }}'],
  ['realistic-app-config', "{{ parseYAML \"app:\\n  name: web\\n  replicas: 3\\n  env:\\n    - LOG_LEVEL=info\\n    - [broken\\n  ports: {http: 80, https: 443\\n\" }}"],
  ['with-default-on-error', '{{ with secret "secret/app" }}{{ (printf "db:\\n  host: %s\\n port: 5432" .Data.data.username) | parseYAML }}{{ end }}'],
]);

// x/crypto v0.58 refuses passwords over 72 bytes; sprig prints the error as the hash.
table('go-bcrypt-bytes', [
  ['too-long-ascii', '{{ sprig_bcrypt (sprig_repeat 73 "a") }}'],
  ['too-long-multibyte', '{{ sprig_bcrypt (sprig_repeat 37 "é") }}|{{ sprig_htpasswd "u" (sprig_repeat 80 "x") }}'],
  ['limit-72-bytes', '{{ sprig_bcrypt (sprig_repeat 72 "a") | len }} {{ sprig_bcrypt (sprig_repeat 36 "é") | len }} {{ sprig_bcrypt "" | len }}'],
  ['too-long-decoded-bytes', '{{ base64Decode (sprig_repeat 25 "//79") | sprig_bcrypt }}'],
  ['decoded-bytes-shape', '{{ base64Decode "//4AgEHD" | sprig_bcrypt | regexMatch "^[$]2a[$]10[$][./A-Za-z0-9]{53}$" }} {{ sprig_htpasswd "svc" (base64Decode "//4AgEHD") | regexMatch "^svc:[$]2a[$]10[$]" }}'],
  ['htpasswd-bad-user', '{{ sprig_htpasswd "a:b" (base64Decode "//4=") }}'],
]);

/** The rows above, for record-cases.ts. */
export const errorRows: readonly CaseRow[] = rows;
