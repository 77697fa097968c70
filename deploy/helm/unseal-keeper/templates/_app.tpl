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
{{- if and (gt (int64 .Values.replicaCount) 1) (not .Values.config.leaderElection) -}}
{{- fail "config.leaderElection must be true with more than one replica (two keepers must never interleave shares on one node)" -}}
{{- end }}
- name: UNSEAL_KEEPER_KUBERNETES_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: UNSEAL_KEEPER_KUBERNETES_SECRET_NAME
  value: {{ include "opzero.keyStoreSecretName" . | quote }}
- name: UNSEAL_KEEPER_LEASE_NAME
  value: {{ include "opzero.leaseName" . | quote }}
- name: UNSEAL_KEEPER_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end -}}
{{- define "opzero.app.volumes" -}}{{- end -}}
{{- define "opzero.app.volumeMounts" -}}{{- end -}}

{{/* The key-store Secret (keyStoreSecret.name). */}}
{{- define "opzero.keyStoreSecretName" -}}
{{- .Values.keyStoreSecret.name | default (printf "%s-keys" (include "opzero.fullname" .)) -}}
{{- end -}}
