{{/* PodDisruptionBudget: maxUnavailable by default, so a one-replica install can still be drained. */}}
{{- define "opzero.podDisruptionBudget" -}}
{{- if .Values.podDisruptionBudget.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "opzero.metadata" . | nindent 2 }}
spec:
  {{- if hasKey .Values.podDisruptionBudget "minAvailable" }}
  minAvailable: {{ .Values.podDisruptionBudget.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "opzero.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}
