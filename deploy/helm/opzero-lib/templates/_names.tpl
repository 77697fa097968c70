{{/*
Names and labels shared by every object of an opzero app chart.
The app chart's name is the app's name (injector, agent-renderer, ...).
*/}}

{{/* The app's name: the chart name unless nameOverride is set. */}}
{{- define "opzero.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Object name: fullnameOverride, else the release name when it already contains the app's name, else release-app. */}}
{{- define "opzero.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "opzero.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the app's pods; never change them in an upgrade (Deployment selectors are immutable). */}}
{{- define "opzero.selectorLabels" -}}
app.kubernetes.io/name: {{ include "opzero.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "opzero.labels" -}}
{{ include "opzero.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: opzero
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The ServiceAccount the pods run as. */}}
{{- define "opzero.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "opzero.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Object metadata: name, namespace and labels (pass the root context). */}}
{{- define "opzero.metadata" -}}
name: {{ include "opzero.fullname" . }}
namespace: {{ .Release.Namespace }}
labels:
  {{- include "opzero.labels" . | nindent 2 }}
{{- end -}}
