{{/* What opzero-lib asks of this chart (see opzero-lib/templates/_env.tpl and _deployment.tpl). */}}
{{- define "opzero.app.containerPorts" -}}{{- end -}}
{{- define "opzero.app.servicePorts" -}}{{- end -}}
{{- define "opzero.app.envPrefix" -}}UNSEAL_KEEPER{{- end -}}
{{- define "opzero.app.scheme" -}}HTTP{{- end -}}
{{/*
Where the keeper finds its key store and Lease: the objects this chart made RBAC for, so the
app and its rights can never name different objects. POD_NAME is its identity in the Lease.
*/}}
{{- define "opzero.app.env" -}}
{{ include "opzero.leaderElectionEnv" . }}
- name: UNSEAL_KEEPER_KUBERNETES_SECRET_NAME
  value: {{ include "opzero.keyStoreSecretName" . | quote }}
{{- end -}}
{{- define "opzero.app.volumes" -}}{{- end -}}
{{- define "opzero.app.volumeMounts" -}}{{- end -}}

{{/* The key-store Secret (keyStoreSecret.name). */}}
{{- define "opzero.keyStoreSecretName" -}}
{{- .Values.keyStoreSecret.name | default (printf "%s-keys" (include "opzero.fullname" .)) -}}
{{- end -}}
