{{/* What opzero-lib asks of this chart (see opzero-lib/templates/_env.tpl and _deployment.tpl). */}}
{{- define "opzero.app.containerPorts" -}}{{- end -}}
{{- define "opzero.app.servicePorts" -}}{{- end -}}
{{- define "opzero.app.envPrefix" -}}UNSEAL_KEEPER{{- end -}}
{{- define "opzero.app.scheme" -}}HTTP{{- end -}}
{{- define "opzero.app.env" -}}{{- end -}}
{{- define "opzero.app.volumes" -}}{{- end -}}
{{- define "opzero.app.volumeMounts" -}}{{- end -}}

{{/* The key-store Secret (keyStoreSecret.name). */}}
{{- define "opzero.keyStoreSecretName" -}}
{{- .Values.keyStoreSecret.name | default (printf "%s-keys" (include "opzero.fullname" .)) -}}
{{- end -}}
