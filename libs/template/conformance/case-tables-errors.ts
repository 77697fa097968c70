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
