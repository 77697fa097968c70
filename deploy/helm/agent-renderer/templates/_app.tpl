{{/* What opzero-lib asks of this chart (see opzero-lib/templates/_env.tpl and _deployment.tpl). */}}
{{- define "opzero.app.containerPorts" -}}{{- end -}}
{{- define "opzero.app.servicePorts" -}}{{- end -}}
{{- define "opzero.app.envPrefix" -}}AGENT_RENDERER{{- end -}}
{{- define "opzero.app.scheme" -}}HTTP{{- end -}}
{{/*
Where the rotation service keeps its state and elects its leader: the Secret and Lease this
chart grants, by name, in the release namespace; and, with rbac.watchNamespaces, the only
namespaces whose pods it watches.
*/}}
{{- define "opzero.app.env" -}}
{{ include "opzero.leaderElectionEnv" . }}
- name: AGENT_RENDERER_STATE_SECRET_NAME
  value: {{ include "opzero.stateSecretName" . | quote }}
{{- with .Values.rbac.watchNamespaces }}
{{- /* Roles only in these namespaces: the pod watch must not ask for the whole cluster. */}}
- name: AGENT_RENDERER_POD_WATCH_NAMESPACES
  value: {{ join "," . | quote }}
{{- end }}
{{- end -}}

{{/* The Secret of last-seen versions (stateSecret.name). */}}
{{- define "opzero.stateSecretName" -}}
{{- .Values.stateSecret.name | default (printf "%s-state" (include "opzero.fullname" .)) -}}
{{- end -}}
{{- define "opzero.app.volumes" -}}{{- end -}}
{{- define "opzero.app.volumeMounts" -}}{{- end -}}

{{- define "opzero.workloadRules" -}}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["replicasets"]
    verbs: ["get"]
  - apiGroups: ["apps"]
    resources: ["deployments", "statefulsets", "daemonsets"]
    verbs: ["get", "patch"]
{{- end -}}
