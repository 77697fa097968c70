{{/*
Everything every app has, as one multi-document string: an app chart's templates/app.yaml is
`{{ include "opzero.common" . }}`. Documents that are switched off render nothing.
*/}}
{{- define "opzero.common" -}}
{{- range $part := list "opzero.serviceAccount" "opzero.service" "opzero.deployment" "opzero.podDisruptionBudget" "opzero.serviceMonitor" }}
{{- $doc := include $part $ | trim }}
{{- if $doc }}
---
{{ $doc }}
{{- end }}
{{- end }}
{{- end -}}
