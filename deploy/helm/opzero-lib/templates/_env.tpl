{{/*
The container's environment. Each key of .Values.config is a setting of the app, written in
camelCase; it becomes <PREFIX>_<UPPER_SNAKE> (config.logLevel -> INJECTOR_LOG_LEVEL). Lists
are joined with commas, numbers printed as integers when whole (values arrive as float64), a
key left out (or null) keeps the app's own default. .Values.secretConfig takes a setting from a
Secret instead (tokens never sit in values). The app chart adds the settings it computes
(opzero.app.env); .Values.extraEnv comes last and replaces a generated variable of the same name.
*/}}

{{/* One config value as the string the app's parser expects. */}}
{{- define "opzero.envValue" -}}
{{- if kindIs "slice" . -}}
{{- join "," . -}}
{{- else if and (kindIs "float64" .) (eq (float64 (int64 .)) .) -}}
{{- int64 . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{/* One EnvVar entry as YAML list item; a literal value is always a string. */}}
{{- define "opzero.envEntry" -}}
{{- $entry := deepCopy . -}}
{{- if hasKey $entry "value" -}}
{{- /* `--set extraEnv[0].value=1` arrives as a number; Kubernetes wants a string. */ -}}
{{- $_ := set $entry "value" (include "opzero.envValue" $entry.value) -}}
{{- end -}}
- {{ toYaml $entry | nindent 2 | trim }}
{{- end -}}

{{/* The env list of the app container. */}}
{{- define "opzero.env" -}}
{{- $prefix := include "opzero.app.envPrefix" . -}}
{{- $overridden := list -}}
{{- range .Values.extraEnv -}}
{{- $overridden = append $overridden .name -}}
{{- end -}}
{{- $entries := include "opzero.app.env" . | fromYamlArray -}}
{{- range $key, $value := .Values.config -}}
{{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") -}}
{{- $entries = append $entries (dict "name" (printf "%s_%s" $prefix ($key | snakecase | upper)) "value" $value) -}}
{{- end -}}
{{- end -}}
{{- range $key, $ref := .Values.secretConfig -}}
{{- $entries = append $entries (dict "name" (printf "%s_%s" $prefix ($key | snakecase | upper)) "valueFrom" (dict "secretKeyRef" (dict "name" $ref.secretName "key" $ref.key))) -}}
{{- end -}}
{{- range $entries -}}
{{- if not (has .name $overridden) }}
{{ include "opzero.envEntry" . }}
{{- end -}}
{{- end -}}
{{- range .Values.extraEnv }}
{{ include "opzero.envEntry" . }}
{{- end -}}
{{- end -}}
