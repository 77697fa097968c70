{{/* The ServiceAccount the pods run as (serviceAccount.create=false: an existing one by name). */}}
{{- define "opzero.serviceAccount" -}}
{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "opzero.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "opzero.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}
{{- end -}}
