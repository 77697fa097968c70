/** The three benchmark templates and the secrets they read. */
export const SMALL = `{{ with secret "secret/data/devwebapp/config" -}}
export ID="{{ .Data.data.ID }}"
export PASSWORD="{{ .Data.data.PASSWORD}}"
{{- end }}
`;

const KEYS = Array.from({ length: 40 }, (_, i) => `key_${String(i).padStart(2, '0')}`);

/** 40 keys, ranges, conditionals and functions. */
export const MEDIUM = `{{- with secret "secret/data/medium" -}}
{{- $d := .Data.data -}}
# generated for {{ $d.key_00 | toUpper }}
{{ range $k, $v := $d -}}
{{ $k | toUpper }}={{ $v | printf "%q" }}
{{ end -}}
{{ range $i, $k := split "," "${KEYS.join(',')}" -}}
{{ if eq (index $d $k) "" }}# {{ $k }} empty{{ else }}{{ $k }}_b64={{ index $d $k | base64Encode }}{{ end }}
{{ end -}}
json={{ $d | toJSON }}
{{- end }}
`;

/** 2,000 lines: the medium body repeated, each block with its own line of text. */
export const LARGE = (() => {
  const lines: string[] = ['{{- with secret "secret/data/medium" }}{{ $d := .Data.data }}'];
  for (let i = 0; lines.length < 1999; i++) {
    const k = KEYS[i % KEYS.length]!;
    lines.push(`line ${i}: {{ $d.${k} }} {{ if $d.${k} }}{{ $d.${k} | toUpper | trimSpace }}{{ else }}none{{ end }} {{ len $d.${k} }}`);
  }
  lines.push('{{ end }}');
  return lines.join('\n') + '\n';
})();

export const mediumData: Record<string, string> = Object.fromEntries(KEYS.map((k, i) => [k, i % 7 === 0 ? '' : `value-${i}-${'x'.repeat(i)}`]));
export const devwebappData = { ID: '123', PASSWORD: 'pa$$w0rd' };
