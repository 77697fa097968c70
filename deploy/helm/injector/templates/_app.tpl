{{/* What opzero-lib asks of this chart (see opzero-lib/templates/_env.tpl and _deployment.tpl). */}}
{{- define "opzero.app.containerPorts" -}}{{- end -}}
{{- define "opzero.app.servicePorts" -}}{{- end -}}
{{- define "opzero.app.envPrefix" -}}INJECTOR{{- end -}}

{{/* The API server calls webhooks over HTTPS only; probes and metrics follow. */}}
{{- define "opzero.app.scheme" -}}HTTPS{{- end -}}

{{- define "opzero.webhookName" -}}{{ include "opzero.fullname" . }}{{- end -}}

{{/* The TLS variables, from tls.mode (the app refuses both modes at once, so only one set is written). */}}
{{- define "opzero.app.env" -}}
{{- $name := include "opzero.fullname" . -}}
{{- if eq .Values.tls.mode "auto" -}}
{{- if gt (int64 .Values.config.workers) 1 -}}
{{- fail "config.workers must be 1 when tls.mode is auto (each worker would generate its own CA); use tls.mode=secret with several workers" -}}
{{- end -}}
{{- if gt (int64 .Values.replicaCount) 1 -}}
{{- fail "replicaCount must be 1 when tls.mode is auto (each replica would write its own CA into the webhook configuration); use tls.mode=secret with several replicas" -}}
{{- end -}}
{{- $hosts := concat (list $name (printf "%s.%s" $name .Release.Namespace) (printf "%s.%s.svc" $name .Release.Namespace)) .Values.tls.extraHosts }}
- name: INJECTOR_TLS_AUTO
  value: "true"
- name: INJECTOR_TLS_AUTO_HOSTS
  value: {{ join "," $hosts | quote }}
- name: INJECTOR_WEBHOOK_CONFIG_NAME
  value: {{ include "opzero.webhookName" . | quote }}
{{- else }}
- name: INJECTOR_TLS_CERT_FILE
  value: /etc/opzero/tls/tls.crt
- name: INJECTOR_TLS_KEY_FILE
  value: /etc/opzero/tls/tls.key
{{- end -}}
{{- end -}}

{{- define "opzero.app.volumes" -}}
{{- if eq .Values.tls.mode "secret" }}
- name: tls
  secret:
    secretName: {{ required "tls.secretName is required when tls.mode is secret" .Values.tls.secretName }}
{{- end -}}
{{- end -}}

{{- define "opzero.app.volumeMounts" -}}
{{- if eq .Values.tls.mode "secret" }}
- name: tls
  mountPath: /etc/opzero/tls
  readOnly: true
{{- end -}}
{{- end -}}
