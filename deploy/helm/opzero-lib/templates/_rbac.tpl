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

{{/*
A Role for one Secret the app keeps its state in, by name: get, watch, update, patch; create
only when the chart does not make the Secret (RBAC cannot limit create by name).
dict: root, name (of the Role), secretName, create (true: the app may create Secrets).
*/}}
{{- define "opzero.namedSecretRbac" -}}
{{- $root := .root -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ .name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "opzero.labels" $root | nindent 4 }}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: [{{ .secretName | quote }}]
    verbs: ["get", "watch", "update", "patch"]
  {{- if .create }}
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["create"]
  {{- end }}
---
{{ include "opzero.binding" (dict "root" $root "kind" "Role" "name" .name "namespace" $root.Release.Namespace) }}
{{- end -}}

{{/*
Env of an app that elects a leader over the Lease this chart grants (rbac.leaseName) in the
release namespace: <PREFIX>_KUBERNETES_NAMESPACE, _LEASE_NAME and _POD_NAME (its identity in the
Lease, from the downward API). More than one replica without config.leaderElection is refused.
*/}}
{{- define "opzero.leaderElectionEnv" -}}
{{- $prefix := include "opzero.app.envPrefix" . -}}
{{- if and (gt (int64 .Values.replicaCount) 1) (not .Values.config.leaderElection) -}}
{{- fail "config.leaderElection must be true with more than one replica (only the leader may act)" -}}
{{- end }}
- name: {{ $prefix }}_KUBERNETES_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: {{ $prefix }}_LEASE_NAME
  value: {{ include "opzero.leaseName" . | quote }}
- name: {{ $prefix }}_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end -}}
