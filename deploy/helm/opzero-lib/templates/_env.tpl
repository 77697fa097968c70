{{/*
The container's environment. Each key of .Values.config is a setting of the app, written in
camelCase; it becomes <PREFIX>_<UPPER_SNAKE> (config.logLevel -> INJECTOR_LOG_LEVEL). Lists
are joined with commas, numbers printed as integers (values arrive as float64), null or ""
leaves the app's own default. The app chart adds the settings it computes (opzero.app.env);
.Values.extraEnv comes last and replaces a generated variable of the same name.
*/}}

{{/* One config value as the string the app's parser expects. */}}
{{- define "opzero.envValue" -}}
{{- if kindIs "slice" . -}}
{{- join "," . -}}
{{- else if kindIs "float64" . -}}
{{- int64 . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{/* The env list of the app container. */}}
{{- define "opzero.env" -}}
{{- $prefix := include "opzero.app.envPrefix" . -}}
{{- $overridden := list -}}
{{- range .Values.extraEnv -}}
{{- $overridden = append $overridden .name -}}
{{- end -}}
{{- $computed := include "opzero.app.env" . | fromYamlArray -}}
{{- range $computed -}}
{{- if not (has .name $overridden) }}
- name: {{ .name }}
  value: {{ .value | quote }}
{{- end -}}
{{- end -}}
{{- range $key, $value := .Values.config -}}
{{- $name := printf "%s_%s" $prefix ($key | snakecase | upper) -}}
{{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") (not (has $name $overridden)) }}
- name: {{ $name }}
  value: {{ include "opzero.envValue" $value | quote }}
{{- end -}}
{{- end -}}
{{- range .Values.extraEnv }}
{{- $entry := deepCopy . }}
{{- if hasKey $entry "value" }}
{{- /* `--set extraEnv[0].value=1` arrives as a number; Kubernetes wants a string. */}}
{{- $_ := set $entry "value" (include "opzero.envValue" $entry.value) }}
{{- end }}
- {{ toYaml $entry | nindent 2 | trim }}
{{- end -}}
{{- end -}}
