{{/* What opzero-lib asks of this chart (see opzero-lib/templates/_env.tpl and _deployment.tpl). */}}
{{- define "opzero.app.envPrefix" -}}CONSUL_GATEWAY{{- end -}}
{{- define "opzero.app.scheme" -}}HTTP{{- end -}}
{{- define "opzero.app.env" -}}{{- end -}}
{{- define "opzero.app.volumes" -}}{{- end -}}
{{- define "opzero.app.volumeMounts" -}}{{- end -}}
