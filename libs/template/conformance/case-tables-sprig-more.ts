/**
 * Cases for the Sprig functions ported after issue 14's first round: dates and Go time
 * layouts (go-sprig-date), semantic versions (go-sprig-semver), random and key-generating
 * functions checked by shape inside the template (go-sprig-crypto), yaml.v2 maps with
 * non-string keys and libyaml's errors (go-yaml-keys), and the last fmt verbs (go-fmt-more).
 * Clock-dependent output is made deterministic inside the template where it can be
 * (a length, a regexMatch), and otherwise compared by format only.
 */
import type { CaseRow } from './case-tables';

const rows: CaseRow[] = [];
const table = (construct: string, entries: readonly (readonly [string, string])[], extra: Partial<CaseRow> = {}): void => {
  for (const [name, template] of entries) rows.push({ construct, name, template, ...extra });
};
const d = (layout: string, value: string): string => `(sprig_toDate "${layout}" "${value}")`;
const day = d('2006-01-02', '2024-03-05');
const summer = d('2006-01-02 15:04:05', '2024-07-14 18:30:45');

table('go-sprig-date', [
  ['toDate-print', `{{ ${day} }}|{{ ${summer} }}`],
  ['toDate-T-kind', `{{ printf "%T %v %s %q" ${day} ${day} ${day} ${day} }} {{ sprig_kindOf ${day} }} {{ sprig_typeOf ${day} }}`],
  ['toDate-invalid-zero', `{{ sprig_toDate "2006-01-02" "yesterday" }}|{{ (sprig_toDate "2006-01-02" "x").IsZero }}`],
  ['date-basic', `{{ sprig_date "2006-01-02" ${day} }} {{ sprig_date "02/01/06" ${day} }} {{ sprig_date "Jan 2, 2006" ${day} }}`],
  ['date-every-token', `{{ sprig_date "Monday Mon January Jan 1 01 2 02 _2 06 2006 15 3 03 4 04 5 05 PM pm MST -0700 -07:00 -07 Z0700 Z07:00 002 __2" ${summer} }}`],
  ['date-12-hour', `{{ range $h := sprig_list "00:05" "11:59" "12:00" "13:07" "23:59" }}{{ sprig_date "3:04 PM|03:04 pm" (sprig_toDate "15:04" $h) }};{{ end }}`],
  ['date-fractions', `{{ $t := sprig_toDate "2006-01-02 15:04:05.000000000" "2024-03-05 10:20:30.120450000" }}{{ sprig_date ".0 .00 .000 .000000 .000000000 .9 .99 .999 .999999 .999999999 ,000 ,999" $t }}|{{ $t }}`],
  ['date-fraction-zero', `{{ sprig_date "15:04:05.999|15:04:05.000" ${summer} }}`],
  ['date-literal-text', `{{ sprig_date "Janet Mondays 2006_2 _2006 1st" ${day} }}`],
  ['date-rfc3339', `{{ sprig_date "2006-01-02T15:04:05Z07:00" ${summer} }} {{ sprig_date "2006-01-02T15:04:05.999999999Z07:00" ${summer} }}`],
  ['date-unix-int', '{{ sprig_date "2006-01-02 15:04:05" 0 }} {{ sprig_date "2006-01-02T15:04:05" 1700000000 }} {{ sprig_date "2006" -86400 }}'],
  ['date-unix-int64', '{{ sprig_date "2006-01-02 15:04:05 MST" (sprig_int64 1234567890) }} {{ sprig_date "Jan _2" (sprig_atoi "86400") }}'],
  ['date-json-number-is-now', '{{ with secret "secret/numbers" }}{{ sprig_date "2006" .Data.data.int | len }}{{ end }}'],
  ['date-string-is-now', '{{ sprig_date "2006-01-02" "2020-01-01" | len }} {{ eq (sprig_date "2006-01-02" "x") (sprig_date "2006-01-02" (sprig_now)) }}'],
  ['dateInZone-berlin', `{{ sprig_dateInZone "2006-01-02 15:04:05 MST -07:00" ${summer} "Europe/Berlin" }} {{ sprig_dateInZone "15:04 MST" ${day} "Europe/Berlin" }}`],
  ['dateInZone-new-york', `{{ sprig_dateInZone "2006-01-02 15:04 MST Z0700" ${summer} "America/New_York" }} {{ sprig_dateInZone "2006-01-02 15:04 MST Z07:00" ${day} "America/New_York" }}`],
  ['dateInZone-half-hours', `{{ sprig_dateInZone "15:04 MST -07:00" ${summer} "Asia/Kolkata" }} {{ sprig_dateInZone "15:04 MST -0700" ${summer} "Asia/Kathmandu" }} {{ sprig_dateInZone "15:04 MST" ${day} "Australia/Adelaide" }}`],
  ['dateInZone-numeric-abbrev', `{{ sprig_dateInZone "15:04 MST" ${summer} "America/Sao_Paulo" }} {{ sprig_dateInZone "15:04 MST" ${summer} "Asia/Dubai" }}`],
  ['dateInZone-bad-zone', `{{ sprig_dateInZone "15:04 MST" ${summer} "Mars/Olympus" }} {{ sprig_dateInZone "15:04 MST" ${summer} "../etc/passwd" }} {{ sprig_dateInZone "15:04 MST" ${summer} "" }}`],
  ['dateInZone-local-utc', `{{ sprig_dateInZone "15:04 MST" ${summer} "Local" }} {{ sprig_dateInZone "15:04 MST" ${summer} "UTC" }} {{ sprig_dateInZone "15:04 MST" ${summer} "Etc/GMT+5" }}`],
  ['date_in_zone-alias', `{{ sprig_date_in_zone "2006-01-02 15:04 MST" 0 "Asia/Tokyo" }}`],
  ['dateInZone-old-dates', `{{ sprig_dateInZone "2006-01-02 15:04 MST" ${d('2006-01-02', '1900-06-01')} "Europe/Amsterdam" }} {{ sprig_dateInZone "2006-01-02 15:04 MST" ${d('2006', '1850')} "America/New_York" }}`],
  ['htmlDate', `{{ sprig_htmlDate ${summer} }} {{ sprig_htmlDate 0 }} {{ sprig_htmlDateInZone ${d('2006-01-02 15:04', '2024-07-14 23:30')} "Asia/Tokyo" }}`],
  ['dateModify', `{{ sprig_dateModify "1h30m" ${day} }}|{{ sprig_dateModify "-24h" ${day} }}|{{ sprig_dateModify "1.5h" ${day} }}|{{ sprig_dateModify "90s" ${day} }}|{{ sprig_dateModify "1500ms" ${day} }}`],
  ['dateModify-invalid-unchanged', `{{ sprig_dateModify "1d" ${day} }}|{{ sprig_dateModify "" ${day} }}|{{ sprig_date_modify "+2h" ${day} }}`],
  ['dateModify-units', `{{ sprig_dateModify "1h2m3s4ms5us6ns" ${day} }}|{{ sprig_dateModify "2µs" ${day} }}|{{ sprig_dateModify ".5m" ${day} }}`],
  ['mustDateModify-error', `{{ sprig_mustDateModify "1d" ${day} }}`],
  ['mustDateModify-missing-unit', `{{ sprig_mustDateModify "10" ${day} }}`],
  ['mustDateModify-invalid', `{{ sprig_mustDateModify "-" ${day} }}`],
  ['mustDateModify-ok', `{{ sprig_mustDateModify "-1h" ${day} }} {{ sprig_must_date_modify "30m" ${day} }}`],
  ['dateModify-wrong-type', '{{ sprig_dateModify "1h" "2024-01-01" }}'],
  ['unixEpoch', `{{ sprig_unixEpoch ${day} }} {{ sprig_unixEpoch ${summer} }} {{ sprig_unixEpoch (sprig_toDate "2006" "x") }}`],
  ['unixEpoch-nil', '{{ sprig_unixEpoch nil }}'],
  ['mustToDate-ok', `{{ sprig_mustToDate "2006-01-02T15:04:05Z07:00" "2024-03-05T10:00:00+05:30" }}|{{ sprig_mustToDate "2006-01-02T15:04:05Z07:00" "2024-03-05T10:00:00Z" }}`],
  ['mustToDate-cannot-parse', '{{ sprig_mustToDate "2006-01-02" "05/03/2024" }}'],
  ['mustToDate-extra-text', '{{ sprig_mustToDate "2006-01-02" "2024-03-05 10:00" }}'],
  ['mustToDate-month-range', '{{ sprig_mustToDate "2006-01-02" "2024-13-05" }}'],
  ['mustToDate-day-range', '{{ sprig_mustToDate "2006-01-02" "2023-02-29" }}'],
  ['mustToDate-hour-range', '{{ sprig_mustToDate "15:04" "24:00" }}'],
  ['mustToDate-quote-value', '{{ sprig_mustToDate "2006" "\\"é\\"" }}'],
  ['mustToDate-missing-value', '{{ sprig_mustToDate "2006-01-02" "2024-03" }}'],
  ['toDate-month-names', `{{ sprig_toDate "Jan 2 2006" "mar 5 2024" }}|{{ sprig_toDate "January 2, 2006" "SEPTEMBER 30, 2024" }}|{{ sprig_toDate "Mon Jan _2 2006" "Tue Mar  5 2024" }}`],
  ['toDate-year-forms', '{{ sprig_toDate "06-01-02" "69-01-01" }}|{{ sprig_toDate "06-01-02" "68-12-31" }}|{{ sprig_toDate "2006-002" "2024-060" }}|{{ sprig_toDate "2006-002" "2023-365" }}'],
  ['toDate-offsets', '{{ sprig_toDate "2006-01-02 15:04 -0700" "2024-03-05 10:00 +0200" }}|{{ sprig_toDate "2006-01-02 15:04 -07" "2024-03-05 10:00 -03" }}|{{ sprig_toDate "2006-01-02 15:04 Z07:00" "2024-03-05 10:00 Z" }}'],
  ['toDate-zone-names', '{{ sprig_toDate "2006-01-02 15:04 MST" "2024-03-05 10:00 UTC" }}|{{ sprig_toDate "2006-01-02 15:04 MST" "2024-03-05 10:00 EST" }}|{{ sprig_toDate "2006-01-02 15:04 MST" "2024-03-05 10:00 GMT+3" }}'],
  ['toDate-fraction-without-layout', '{{ sprig_toDate "2006-01-02 15:04:05" "2024-03-05 10:00:00.123456" }}|{{ sprig_toDate "15:04:05.000" "10:00:00.5" }}'],
  ['toDate-spaces', '{{ sprig_toDate "2006 01  02" "2024  03 05" }}|{{ sprig_toDate "Jan _2" "Mar  5" }}'],
  ['toDate-pm', '{{ sprig_toDate "3:04PM" "12:30AM" }}|{{ sprig_toDate "3:04pm" "1:05pm" }}|{{ sprig_toDate "3PM" "13PM" }}'],
  ['time-methods', `{{ $t := ${summer} }}{{ $t.Year }} {{ $t.YearDay }} {{ $t.Hour }} {{ $t.Minute }} {{ $t.Second }} {{ $t.Unix }} {{ $t.Format "Jan 2" }} {{ $t.UTC }}`],
  ['time-in-list', `{{ sprig_list ${day} "x" }} {{ printf "%v" (sprig_list ${day}) }}`],
  ['durationRound', '{{ sprig_durationRound "2h10m5s" }} {{ sprig_durationRound "-3h" }} {{ sprig_durationRound "400h" }} {{ sprig_durationRound "9000h" }} {{ sprig_durationRound "1m" }} {{ sprig_durationRound "61s" }} {{ sprig_durationRound "1.5s" }} {{ sprig_durationRound "999ms" }}'],
  ['durationRound-types', '{{ sprig_durationRound (sprig_int64 3600000000001) }} {{ sprig_durationRound 3600000000001 }} {{ sprig_durationRound "x" }} {{ sprig_durationRound 1.5 }} {{ sprig_durationRound "721h" }} {{ sprig_durationRound "8761h" }}'],
  ['durationRound-time-since', `{{ sprig_durationRound ${d('2006-01-02', '2000-01-01')} | sprig_trimSuffix "y" | sprig_atoi | lt 20 }}`],
  ['ago-old-time', `{{ $a := sprig_ago ${d('2006-01-02', '2020-01-01')} }}{{ regexMatch "^[0-9]+h[0-9]+m[0-9]+s$" $a }} {{ sprig_ago (sprig_now) }}`],
  ['ago-types', '{{ regexMatch "^[0-9]+h[0-9]+m[0-9]+s$" (sprig_ago 0) }} {{ regexMatch "^[0-9]+h" (sprig_ago (sprig_int64 1000)) }} {{ sprig_ago "x" }} {{ regexMatch "^-" (sprig_ago 99999999999) }}'],
  ['now-shape', '{{ regexMatch "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)? \\\\+0000 UTC m=\\\\+[0-9]+\\\\.[0-9]{9}$" (print (sprig_now)) }} {{ printf "%T" (sprig_now) }} {{ sprig_kindOf (sprig_now) }}'],
  ['now-strips-mono', '{{ regexMatch " m=" (print (sprig_now).UTC) }} {{ regexMatch " m=" (print (sprig_dateModify "1h" (sprig_now))) }}'],
  ['now-year', '{{ (sprig_now).Year | lt 2023 }} {{ sprig_date "2006" (sprig_now) | len }} {{ sprig_htmlDate (sprig_now) | len }}'],
  ['date-default-now', '{{ sprig_date "2006-01-02T15:04:05Z07:00" "now" }}', ],
  ['release-notes', `{{ $released := sprig_toDate "2006-01-02" "2024-02-29" }}Released: {{ sprig_date "Monday, January 2, 2006" $released }}\nSupport ends: {{ sprig_dateModify "8760h" $released | sprig_date "2006-01-02" }}\nEpoch: {{ sprig_unixEpoch $released }}\n`],
]);
rows.find((r) => r.name === 'date-default-now')!.formatOnly = { reason: 'a string date is time.Now()', regex: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' };

const cmpRows = (pairs: readonly (readonly [string, string])[]): string => pairs.map(([c, v]) => `{{ sprig_semverCompare "${c}" "${v}" }}`).join(' ');
table('go-sprig-semver', [
  ['semver-print', '{{ sprig_semver "1.2.3" }} {{ sprig_semver "v1.2" }} {{ sprig_semver "1" }} {{ sprig_semver "1.2.3-beta.1+build.5" }} {{ sprig_semver "v2.0.0+meta" }}'],
  ['semver-fields', '{{ $v := sprig_semver "v1.22.3-rc.1+sha.abc" }}{{ $v.Major }} {{ $v.Minor }} {{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Original }} {{ $v.String }}'],
  ['semver-types', '{{ $v := sprig_semver "1.2.3" }}{{ printf "%T %T %v %s %q" $v $v.Major $v $v $v }} {{ sprig_kindOf $v }} {{ sprig_typeOf $v }}'],
  ['semver-coerce', '{{ sprig_semver "01.02.03" }} {{ sprig_semver "1.2.3.4" | default "x" }}'],
  ['semver-invalid', '{{ sprig_semver "not-a-version" }}'],
  ['semver-empty', '{{ sprig_semver "" }}'],
  ['semver-bad-prerelease', '{{ sprig_semver "1.2.3-01" }}'],
  ['semver-bad-prerelease-empty', '{{ sprig_semver "1.2.3-a..b" }}'],
  ['semver-bad-metadata', '{{ sprig_semver "1.2.3+a..b" }}'],
  ['semver-overflow', '{{ sprig_semver "18446744073709551616.0.0" }}'],
  ['semver-max-uint', '{{ sprig_semver "18446744073709551615.0.0" }}'],
  ['semver-compare-methods', '{{ $a := sprig_semver "1.2.3" }}{{ $b := sprig_semver "1.10.0" }}{{ $a.LessThan $b }} {{ $a.GreaterThan $b }} {{ $a.Equal (sprig_semver "v1.2.3") }} {{ $a.Compare $b }} {{ $b.Compare $a }} {{ $a.Compare $a }} {{ $a.LessThanEqual $a }} {{ $a.GreaterThanEqual $b }}'],
  ['semver-prerelease-order', '{{ range $p := sprig_list "1.0.0-alpha" "1.0.0-alpha.1" "1.0.0-alpha.beta" "1.0.0-beta" "1.0.0-beta.2" "1.0.0-beta.11" "1.0.0-rc.1" "1.0.0" }}{{ (sprig_semver $p).Compare (sprig_semver "1.0.0-beta.2") }},{{ end }}'],
  ['semver-inc', '{{ $v := sprig_semver "v1.2.3-rc.1+b" }}{{ $v.IncPatch }} {{ $v.IncMinor }} {{ $v.IncMajor }} {{ (sprig_semver "1.2.3").IncPatch }} {{ printf "%T" $v.IncMajor }} {{ $v.IncMajor.Major }}'],
  ['semver-inc-value-methods', '{{ $v := sprig_semver "v1.2.3-rc.1+b" }}{{ $v.IncMinor.Original }}'],
  ['semver-method-wrong-type', '{{ (sprig_semver "1.2.3").LessThan "1.3.0" }}'],
  ['semver-method-nil', '{{ (sprig_semver "1.2.3").Equal nil }}'],
  ['compare-basic', `${cmpRows([['>=1.2.3', '1.2.3'], ['>1.2.3', '1.2.3'], ['<2.0.0', '1.9.9'], ['<=1.2', '1.2.9'], ['<=1.2', '1.3.0'], ['=1.2.3', '1.2.3'], ['1.2.3', 'v1.2.3'], ['!=1.2.3', '1.2.4'], ['=>1.0', '1.0.0'], ['=<1.0', '0.9.0']])}`],
  ['compare-ranges', `${cmpRows([['>=1.2, <2', '1.5.0'], ['>=1.2 <2', '2.0.0'], ['1.1 - 1.3', '1.3.5'], ['1.1 - 1.3.0', '1.3.5'], ['>=1, <2 || >=3', '3.1.0'], ['< 1 || > 2', '1.5.0'], ['>= 1.0.0, < 1.5.0, != 1.2.0', '1.2.0']])}`],
  ['compare-tilde-caret', `${cmpRows([['~1.2.3', '1.2.9'], ['~1.2.3', '1.3.0'], ['~1', '1.9.0'], ['~1.2', '1.2.0'], ['~>2.1', '2.1.5'], ['^1.2.3', '1.9.9'], ['^1.2.3', '2.0.0'], ['^0.2.3', '0.2.9'], ['^0.2.3', '0.3.0'], ['^0.0.3', '0.0.3'], ['^0.0.3', '0.0.4'], ['^0', '0.9.0'], ['^0.0', '0.0.9']])}`],
  ['compare-wildcards', `${cmpRows([['1.2.x', '1.2.7'], ['1.2.x', '1.3.0'], ['1.x', '1.9.0'], ['*', '5.0.0'], ['>1.x', '2.0.0'], ['>1.2.x', '1.3.0'], ['<=1.x', '1.9.9'], ['!=1.x', '1.5.0'], ['!=1.2.x', '1.3.0'], ['X', '1.0.0']])}`],
  ['compare-prerelease', `${cmpRows([['>=1.0.0', '1.1.0-beta'], ['>=1.0.0-0', '1.1.0-beta'], ['>1.0.0-alpha', '1.0.0-beta'], ['<1.0.0', '1.0.0-rc.1'], ['~1.2.3-beta', '1.2.3-beta.2'], ['^1.2.3-alpha', '1.2.4-beta'], ['!=1.2.3-beta', '1.2.3-beta']])}`],
  ['compare-spaces-v', `${cmpRows([['  >=  v1.2  ', '1.2.0'], ['>= 1.2,<1.5', 'v1.4.0'], ['~> 1.2', '1.2.99']])}`],
  ['compare-empty-constraint', '{{ sprig_semverCompare "" "0.0.1" }}'],
  ['compare-improper', '{{ sprig_semverCompare ">= 1.2 &&" "1.2.0" }}'],
  ['compare-improper-or', '{{ sprig_semverCompare ">=1.0 || bogus" "1.2.0" }}'],
  ['compare-bad-version', '{{ sprig_semverCompare ">=1.0" "one" }}'],
  ['compare-empty-or', '{{ sprig_semverCompare "||" "1.0.0" }}'],
  ['compare-constraint-parser-error', '{{ sprig_semverCompare ">=1.2.3-01" "1.2.3" }}'],
  ['kubernetes-version-gate', `{{ $kube := "v1.27.4-eks-2d98532" }}{{ if sprig_semverCompare ">=1.25-0" $kube }}apiVersion: policy/v1{{ else }}apiVersion: policy/v1beta1{{ end }}\n{{ if sprig_semverCompare "<1.29-0" $kube }}legacy: true{{ end }}\n`],
  ['release-channel', '{{ range $v := sprig_list "2.7.2" "2.8.0-rc.1" "3.0.0" "2.6.9" }}{{ $v }}={{ if sprig_semverCompare "~2.7" $v }}stable{{ else if sprig_semverCompare ">=2.8.0-0, <3" $v }}beta{{ else }}other{{ end }}\n{{ end }}'],
]);

const shape = (fnCall: string, regex: string): string => `{{ $r := ${fnCall} }}{{ len $r }} {{ regexMatch "${regex}" $r }}`;
table('go-sprig-crypto', [
  ['derivePassword-types', '{{ range $t := sprig_list "maximum" "long" "medium" "short" "basic" "pin" }}{{ $t }}={{ sprig_derivePassword 1 $t "password" "user" "example.com" }}\n{{ end }}'],
  ['derivePassword-inputs', '{{ sprig_derivePassword 2 "long" "correct horse" "alice@example.com" "vault.internal" }} {{ sprig_derivePassword 1 "medium" "pässwörd" "ünïcode" "日本.example" }} {{ sprig_derivePassword 1 "pin" "" "" "" }}'],
  ['derivePassword-counters', '{{ sprig_derivePassword 0 "basic" "pw" "u" "s" }} {{ sprig_derivePassword 4294967295 "basic" "pw" "u" "s" }} {{ sprig_derivePassword 4294967296 "basic" "pw" "u" "s" }}'],
  ['derivePassword-unknown-type', '{{ sprig_derivePassword 1 "huge" "pw" "u" "s" }}'],
  ['derivePassword-negative-counter', '{{ sprig_derivePassword -1 "long" "pw" "u" "s" }}'],
  ['derivePassword-int-variable', '{{ $c := 1 }}{{ sprig_derivePassword $c "long" "pw" "u" "s" }}'],
  ['randAlpha', `${shape('sprig_randAlpha 20', '^[A-Za-z]{20}$')} {{ sprig_randAlpha 0 | len }} {{ sprig_randAlpha -3 | len }}`],
  ['randAlphaNum', `${shape('sprig_randAlphaNum 32', '^[A-Za-z0-9]{32}$')} {{ printf "%T" (sprig_randAlphaNum 1) }}`],
  ['randNumeric', `${shape('sprig_randNumeric 6', '^[0-9]{6}$')}`],
  ['randAscii', `${shape('sprig_randAscii 64', '^[ -~]{64}$')}`],
  ['rand-int64-count', '{{ sprig_randAlpha (sprig_int64 3) }}'],
  ['randBytes', '{{ $b := sprig_randBytes 24 }}{{ len $b }} {{ $b | base64Decode | len }} {{ sprig_randBytes 0 | len }}'],
  ['randBytes-negative', '{{ sprig_randBytes -1 }}'],
  ['randInt', '{{ $r := sprig_randInt 5 10 }}{{ and (ge $r 5) (lt $r 10) }} {{ printf "%T" $r }} {{ sprig_randInt 7 8 }} {{ sprig_randInt -3 -2 }}'],
  ['randInt-empty-range', '{{ sprig_randInt 5 5 }}'],
  ['uuidv4', '{{ $u := sprig_uuidv4 }}{{ len $u }} {{ regexMatch "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" $u }} {{ ne $u sprig_uuidv4 }}'],
  ['shuffle', '{{ $s := sprig_shuffle "hello wörld" }}{{ len $s }} {{ sprig_splitList "" $s | sprig_sortAlpha | sprig_join "" }} {{ sprig_shuffle "" }}|{{ sprig_shuffle "x" }}'],
  ['encryptAES-roundtrip', '{{ sprig_decryptAES "s3cr3t" (sprig_encryptAES "s3cr3t" "database password: p@ss") }}|{{ sprig_encryptAES "k" "" }}|{{ sprig_decryptAES "k" "" }}'],
  ['encryptAES-shape', '{{ $c := sprig_encryptAES "k" "hello" }}{{ len $c }} {{ $c | base64Decode | len }} {{ sprig_encryptAES "k" "0123456789abcdef" | base64Decode | len }} {{ ne $c (sprig_encryptAES "k" "hello") }}'],
  ['encryptAES-long-key', '{{ $k := sprig_repeat 5 "0123456789" }}{{ sprig_decryptAES (sprig_substr 0 32 $k) (sprig_encryptAES $k "truncated key") }}'],
  ['encryptAES-binary', '{{ sprig_encryptAES "k" (base64Decode "3q2+7wD/") | sprig_decryptAES "k" | printf "%x" }}'],
  // Ciphertexts bao agent 2.7.2 produced with sprig_encryptAES: ours must decrypt them as the agent does.
  ['decryptAES-agent-ciphertext', '{{ sprig_decryptAES "vault-agent-key" "N06Yl/e7NMNuT7w2SHBLUsOtyBHxEZF7ihEC16gbgP3GDBlaefiGL+FCtzLu3CNx" }}|{{ sprig_decryptAES "k" "sZkLdmHAWAqjo0PB4hxgp/gjwA7ILBWis5Euwn+2JOo=" }}'],
  ['bcrypt-shape', '{{ $h := sprig_bcrypt "hunter2" }}{{ len $h }} {{ regexMatch "^[$]2a[$]10[$][./A-Za-z0-9]{53}$" $h }} {{ ne $h (sprig_bcrypt "hunter2") }} {{ sprig_bcrypt "" | len }}'],
  ['bcrypt-too-long', '{{ sprig_bcrypt (sprig_repeat 73 "x") }} {{ sprig_bcrypt (sprig_repeat 72 "x") | len }}'],
  ['htpasswd', '{{ $h := sprig_htpasswd "admin" "hunter2" }}{{ len $h }} {{ regexMatch "^admin:[$]2a[$]10[$][./A-Za-z0-9]{53}$" $h }} {{ sprig_htpasswd "ad:min" "x" }}'],
  ['htpasswd-nginx-file', '{{ range $u := sprig_list "alice" "bob" }}{{ $line := sprig_htpasswd $u (printf "%s-password" $u) }}{{ index (split ":" $line) 0 }}:{{ sprig_substr 0 7 (index (split ":" $line) 1) }}\n{{ end }}'],
  ['string-bad-escape', '{{ regexMatch "^\\$x" "$x" }}'],
  ['decryptAES-bad-base64', '{{ sprig_decryptAES "k" "not base64!" }}'],
  ['decryptAES-short', '{{ sprig_decryptAES "k" "aGk=" }}'],
  ['decryptAES-partial-block', '{{ sprig_decryptAES "k" "MDEyMzQ1Njc4OWFiY2RlZmdoaQ==" }}'],
  ['decryptAES-iv-only', '{{ sprig_decryptAES "k" "MDEyMzQ1Njc4OWFiY2RlZg==" }}'],
]);

const pemShape = (v: string, type: string): string => `{{ and (sprig_hasPrefix "-----BEGIN ${type}-----\\n" ${v}) (sprig_hasSuffix "\\n-----END ${type}-----\\n" ${v}) }}`;
table('go-sprig-cert', [
  ['genPrivateKey-types', `{{ $r := sprig_genPrivateKey "rsa" }}{{ $e := sprig_genPrivateKey "ecdsa" }}{{ $d := sprig_genPrivateKey "ed25519" }}${pemShape('$r', 'RSA PRIVATE KEY')} ${pemShape('$e', 'EC PRIVATE KEY')} ${pemShape('$d', 'PRIVATE KEY')} {{ len $d }} {{ ne $e (sprig_genPrivateKey "ecdsa") }}`],
  ['genPrivateKey-default-rsa', `{{ $r := sprig_genPrivateKey "" }}${pemShape('$r', 'RSA PRIVATE KEY')} {{ gt (len $r) 3000 }}`],
  ['genPrivateKey-dsa', `{{ $k := sprig_genPrivateKey "dsa" }}${pemShape('$k', 'DSA PRIVATE KEY')}`],
  ['genPrivateKey-unknown', '{{ sprig_genPrivateKey "rsa4096" }}'],
  ['genCA', `{{ $ca := sprig_genCA "Example Root CA" 3650 }}${pemShape('$ca.Cert', 'CERTIFICATE')} ${pemShape('$ca.Key', 'RSA PRIVATE KEY')} {{ printf "%T" $ca }} {{ sprig_kindOf $ca }}`],
  ['genCAWithKey', `{{ $k := sprig_genPrivateKey "ecdsa" }}{{ $ca := sprig_genCAWithKey "ec-ca" 30 $k }}${pemShape('$ca.Cert', 'CERTIFICATE')} {{ eq $ca.Key $k }}`],
  ['genCAWithKey-ed25519', `{{ $k := sprig_genPrivateKey "ed25519" }}{{ $ca := sprig_genCAWithKey "ed-ca" 30 $k }}${pemShape('$ca.Cert', 'CERTIFICATE')} {{ eq $ca.Key $k }}`],
  ['genCAWithKey-garbage', '{{ sprig_genCAWithKey "ca" 30 "not a key" }}'],
  ['genCAWithKey-wrong-block', '{{ sprig_genCAWithKey "ca" 30 "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n" }}'],
  ['genCAWithKey-unknown-block', '{{ sprig_genCAWithKey "ca" 30 "-----BEGIN FOO PRIVATE KEY-----\\nAAAA\\n-----END FOO PRIVATE KEY-----\\n" }}'],
  ['genSelfSignedCert', `{{ $c := sprig_genSelfSignedCert "api.internal" (sprig_list "127.0.0.1" "::1") (sprig_list "api.internal" "localhost") 365 }}${pemShape('$c.Cert', 'CERTIFICATE')} ${pemShape('$c.Key', 'RSA PRIVATE KEY')}`],
  ['genSelfSignedCert-nil-lists', `{{ $c := sprig_genSelfSignedCert "" nil nil 1 }}${pemShape('$c.Cert', 'CERTIFICATE')}`],
  ['genSelfSignedCert-bad-ip', '{{ sprig_genSelfSignedCert "x" (sprig_list "999.1.1.1") nil 1 }}'],
  ['genSelfSignedCert-ip-not-string', '{{ sprig_genSelfSignedCert "x" (sprig_list 10) nil 1 }}'],
  ['genSelfSignedCert-dns-not-string', '{{ sprig_genSelfSignedCert "x" nil (sprig_list "a" 1.5) 1 }}'],
  ['genSelfSignedCert-string-list', '{{ sprig_genSelfSignedCert "x" (split "," "127.0.0.1") nil 1 }}'],
  ['genSelfSignedCertWithKey', `{{ $k := sprig_genPrivateKey "ecdsa" }}{{ $c := sprig_genSelfSignedCertWithKey "svc" nil (sprig_list "svc") 7 $k }}${pemShape('$c.Cert', 'CERTIFICATE')} {{ eq $c.Key $k }}`],
  ['genSignedCert', `{{ $ca := sprig_genCA "ca" 30 }}{{ $c := sprig_genSignedCert "web" (sprig_list "10.1.2.3") (sprig_list "web.svc") 30 $ca }}${pemShape('$c.Cert', 'CERTIFICATE')} ${pemShape('$c.Key', 'RSA PRIVATE KEY')} {{ ne $c.Cert $ca.Cert }}`],
  ['genSignedCertWithKey', `{{ $ca := sprig_genCAWithKey "ca" 30 (sprig_genPrivateKey "ecdsa") }}{{ $k := sprig_genPrivateKey "ed25519" }}{{ $c := sprig_genSignedCertWithKey "web" nil nil 30 $ca $k }}${pemShape('$c.Cert', 'CERTIFICATE')} {{ eq $c.Key $k }}`],
  ['genSignedCert-not-a-cert', '{{ sprig_genSignedCert "web" nil nil 30 "ca" }}'],
  ['genSignedCert-bad-ca', '{{ $ca := sprig_buildCustomCert "x" "y" }}'],
  ['buildCustomCert-roundtrip', '{{ $ca := sprig_genCA "ca" 30 }}{{ $c := sprig_buildCustomCert (sprig_b64enc $ca.Cert) (sprig_b64enc $ca.Key) }}{{ eq $c.Cert $ca.Cert }} {{ eq $c.Key $ca.Key }} {{ $s := sprig_genSignedCert "leaf" nil nil 1 $c }}{{ sprig_hasPrefix "-----BEGIN CERTIFICATE-----" $s.Cert }}'],
  ['buildCustomCert-bad-base64', '{{ sprig_buildCustomCert "!!" "aGk=" }}'],
  ['buildCustomCert-bad-key-base64', '{{ sprig_buildCustomCert "aGk=" "!!" }}'],
  ['buildCustomCert-not-pem', '{{ sprig_buildCustomCert "aGk=" "aGk=" }}'],
  ['buildCustomCert-key-not-pem', '{{ $ca := sprig_genCA "ca" 1 }}{{ sprig_buildCustomCert (sprig_b64enc $ca.Cert) "aGk=" }}'],
  ['tls-secret-yaml', `{{ $ca := sprig_genCA "demo-ca" 365 }}{{ $c := sprig_genSignedCert "demo.default.svc" nil (sprig_list "demo" "demo.default.svc") 365 $ca }}apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {{ if sprig_hasPrefix "-----BEGIN CERTIFICATE-----" $c.Cert }}present{{ end }}\n  tls.key: {{ if sprig_hasPrefix "-----BEGIN RSA PRIVATE KEY-----" $c.Key }}present{{ end }}\n`],
]);

const y = (text: string): string => `(parseYAML "${text}")`;
table('go-yaml-keys', [
  ['range-int-keys', `{{ range $k, $v := ${y('9000: a\\n10000: b\\n80: c\\n-1: d')} }}{{ $k }}={{ $v }} {{ printf "%T" $k }};{{ end }}`],
  ['print-int-keys', `{{ ${y('9000: a\\n10000: b\\n80: c')} }} {{ printf "%v|%d" ${y('2: x\\n10: y')} ${y('2: 3\\n10: 4')} }}`],
  ['index-int-key', `{{ $m := ${y('404: /notfound\\n500: /error')} }}{{ index $m 404 }}|{{ index $m "404" }}|{{ len $m }}`],
  ['string-key-not-int', `{{ $m := ${y('\\"404\\": quoted\\n405: plain')} }}{{ index $m "404" }}|{{ index $m 404 }}|{{ index $m 405 }}|{{ index $m "405" }}`],
  ['toYAML-int-keys', `{{ ${y('9000: a\\n10000: b\\n\\"80\\": c\\n7: d')} | toYAML }}`],
  ['mixed-keys-print', `{{ ${y('b: 1\\n2: x\\ntrue: y\\n1.5: z\\na: 2\\n10: q\\nfalse: n')} }}`],
  ['mixed-keys-range-types', `{{ range $k, $v := ${y('b: 1\\n2: x\\ntrue: y\\n1.5: z\\na: 2\\n10: q')} }}{{ printf "%T:%v " $k $k }}{{ end }}`],
  ['mixed-keys-toYAML', `{{ ${y('b: 1\\n2: x\\ntrue: y\\n1.5: z\\na: 2\\n10: q\\nfalse: n\\n0.5: h')} | toYAML }}`],
  ['null-key', `{{ $m := ${y('~: nothing\\na: 1')} }}{{ $m }} {{ len $m }}`],
  ['bool-keys', `{{ $m := ${y('true: a\\nfalse: b\\non: c')} }}{{ $m }} {{ index $m true }}`],
  ['float-keys', `{{ $m := ${y('1.5: a\\n0.25: b\\n1e3: c')} }}{{ $m }} {{ index $m 1.5 }}`],
  ['nested-int-keys', `{{ $m := ${y('ports:\\n  8080: web\\n  443: tls\\n  80: plain')} }}{{ range $p, $n := $m.ports }}listen {{ $p }}; # {{ $n }}\\n{{ end }}`],
  ['int-key-field-access', `{{ $m := ${y('a:\\n  1: x')} }}{{ $m.a }}`],
  ['big-int-key', `{{ ${y('18446744073709551615: u\\n9223372036854775807: i\\n-5: n')} }}`],
  ['toJSON-any-keys', `{{ ${y('1: a')} | toJSON }}`],
  ['toJSON-mixed-keys', `{{ ${y('b: 1\\n2: x\\n10: q\\na: [1, {3: z}]')} | toJSON }}`],
  ['toJSONPretty-int-keys', `{{ ${y('9000: a\\n80: b')} | toJSONPretty }}`],
  ['duplicate-keys', `{{ ${y('a: 1\\na: 2')} }}`],
  ['error-mapping-values', `{{ ${y('a: b: c')} }}`],
  ['error-tab-indent', `{{ ${y('a:\\n\\tb: 1')} }}`],
  ['error-unterminated-quote', `{{ ${y("key: 'unterminated")} }}`],
  ['error-unknown-anchor', `{{ ${y('a: *unknown')} }}`],
  ['error-document-marker', `{{ ${y('a: 1\\n--- x\\n...\\n- y')} }}`],
  ['error-double-quote-escape', `{{ ${y('a: \\"\\\\q\\"')} }}`],
  ['error-mapping-values-line', `{{ ${y('a: 1\\nb: c: d')} }}`],
  ['error-unterminated-double-quote', `{{ ${y('a: 1\\nx: \\"abc')} }}`],
  ['error-escape-line', `{{ ${y('a: 1\\nb: \\"x\\\\q\\"')} }}`],
  ['error-alias-key', `{{ ${y('&a [1]: b')} }}`],
]);

table('go-fmt-more', [
  ['sharp-v-json-map', '{{ printf "%#v" (parseJSON "{\\"a\\":1,\\"b\\":[1,\\"x\\",null,2.5],\\"c\\":{\\"d\\":true},\\"e\\":{}}") }}'],
  ['sharp-v-slices', '{{ printf "%#v|%#v|%#v" (split "," "a,b") (sprig_list 1 "x" nil 1.5) (sprig_list) }}'],
  ['sharp-v-yaml-map', '{{ printf "%#v" (parseYAML "b: 2\\n1: a\\nc: [x, 3]\\nd: {e: f}") }}'],
  ['sharp-v-scalars', '{{ printf "%#v %#v %#v %#v %#v %#v %#v %#v" (parseInt "5") (parseUint "7") 1.0 1e21 true nil "q\\"s" 42 }}'],
  ['sharp-v-secret', '{{ with secret "secret/numbers" }}{{ printf "%#v" .Data.data.int }} {{ printf "%#v" (sprig_list .Data.data.int) }}{{ end }}'],
  ['sharp-v-string-map', '{{ printf "%#v" (splitToMap "," "=" "b=2,a=1") }}'],
  ['sharp-v-nested-nil', '{{ printf "%#v" (parseJSON "{\\"a\\":[null,{}],\\"b\\":null}") }}'],
  ['sharp-v-width', '{{ printf "[%30#v]" (split "," "a") }}'],
  ['x-float-precision', '{{ printf "%.3x|%.0X|%.1x|%.2x|%.10x" 1.0 255.5 3.14159 -2.5 0.1 }}'],
  ['x-float-plain', '{{ printf "%x|%X|%x|%x|%x" 3.14159 -2.5 0.1 1e300 5e-324 }}'],
  ['x-float-zero-inf', '{{ printf "%x %x %X %x %.2x" 0.0 (parseFloat "-0") (parseFloat "inf") (parseFloat "nan") (parseFloat "-inf") }}'],
  ['x-float-flags', '{{ printf "%#x|%+x|% x|%20x|%-20x|%020x" 1.5 1.5 1.5 1.5 1.5 1.5 }}'],
  ['x-float-rounding', '{{ printf "%.1x %.1x %.1x %.0x %.0x" 1.03125 1.09375 1.96875 1.5 2.5 }}'],
  ['executeTemplate-unknown', '{{ executeTemplate "nope" }}'],
  ['executeTemplate-unknown-with-dot', '{{ define "a" }}A{{ end }}{{ executeTemplate "b" "dot" }}'],
  ['executeTemplate-defined', '{{ define "greet" }}hello {{ . }}{{ end }}{{ executeTemplate "greet" "world" }}|{{ executeTemplate "greet" }}'],
]);

// Host names only this machine resolves the same way for both (127.0.0.1 and localhost).
table('go-sprig-net', [
  ['getHostByName-localhost', '{{ $h := sprig_getHostByName "localhost" }}{{ or (eq $h "127.0.0.1") (eq $h "::1") }}'],
  ['getHostByName-literal', '{{ sprig_getHostByName "127.0.0.1" }} {{ sprig_getHostByName "::1" }}'],
  ['getHostByName-with-secret', '{{ with secret "secret/app" }}{{ .Data.data.username }}@{{ sprig_getHostByName "127.0.0.1" }}{{ end }}|{{ sprig_getHostByName "127.0.0.1" | printf "%q" }}'],
]);

/** The rows above, for record-cases.ts. */
export const sprigMoreRows: readonly CaseRow[] = rows;
