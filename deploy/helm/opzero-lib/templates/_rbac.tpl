{{/*
RBAC pieces several apps need. Each binds a Role (or ClusterRole) to the app's ServiceAccount.
*/}}

{{/* A RoleBinding or ClusterRoleBinding. dict: root, kind (Role|ClusterRole), name, namespace (Role only). */}}
{{- define "opzero.binding" -}}
{{- $root := .root -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ .kind }}Binding
metadata:
  name: {{ .name }}
  {{- if eq .kind "Role" }}
  namespace: {{ .namespace }}
  {{- end }}
  labels:
    {{- include "opzero.labels" $root | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: {{ .kind }}
  name: {{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "opzero.serviceAccountName" $root }}
    namespace: {{ $root.Release.Namespace }}
{{- end -}}

{{/* The Lease its replicas elect a leader over (rbac.leaseName). create cannot be limited by name in RBAC; every other verb is. */}}
{{- define "opzero.leaseName" -}}
{{- .Values.rbac.leaseName | default (include "opzero.fullname" .) -}}
{{- end -}}

{{- define "opzero.leaseRbac" -}}
{{- $name := printf "%s-lease" (include "opzero.fullname" .) -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "opzero.labels" . | nindent 4 }}
rules:
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    verbs: ["create"]
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    resourceNames: [{{ include "opzero.leaseName" . | quote }}]
    verbs: ["get", "watch", "update", "patch", "delete"]
---
{{ include "opzero.binding" (dict "root" . "kind" "Role" "name" $name "namespace" .Release.Namespace) }}
{{- end -}}

{{/* list/watch of EndpointSlices (discovery of servers behind a Service) in each namespace given. dict: root, namespaces. */}}
{{- define "opzero.endpointSliceRbac" -}}
{{- $root := .root -}}
{{- $name := printf "%s-endpointslices" (include "opzero.fullname" $root) -}}
{{- range $namespace := .namespaces | uniq }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ $namespace }}
  labels:
    {{- include "opzero.labels" $root | nindent 4 }}
rules:
  - apiGroups: ["discovery.k8s.io"]
    resources: ["endpointslices"]
    verbs: ["get", "list", "watch"]
---
{{ include "opzero.binding" (dict "root" $root "kind" "Role" "name" $name "namespace" $namespace) }}
{{- end }}
{{- end -}}
