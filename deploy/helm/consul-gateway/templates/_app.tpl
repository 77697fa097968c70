{{/* What opzero-lib asks of this chart (see opzero-lib/templates/_env.tpl and _deployment.tpl). */}}
{{- define "opzero.app.envPrefix" -}}CONSUL_GATEWAY{{- end -}}
{{- define "opzero.app.scheme" -}}HTTP{{- end -}}
{{- define "opzero.app.env" -}}{{- end -}}
{{- define "opzero.app.volumes" -}}{{- end -}}
{{- define "opzero.app.volumeMounts" -}}{{- end -}}

{{/* The Consul API listener, and DNS over UDP and TCP when it is on; the main port (http) serves health and metrics. */}}
{{- define "opzero.app.containerPorts" -}}
- name: consul-api
  containerPort: {{ .Values.config.listenPort }}
  protocol: TCP
{{- if .Values.config.dnsEnabled }}
- name: dns-udp
  containerPort: {{ .Values.config.dnsPort }}
  protocol: UDP
- name: dns-tcp
  containerPort: {{ .Values.config.dnsPort }}
  protocol: TCP
{{- end }}
{{- end -}}

{{/* The fixed address: the Consul API (and DNS) on the Service, with fixed node ports when asked. */}}
{{- define "opzero.app.servicePorts" -}}
{{- $nodePorts := ne .Values.service.type "ClusterIP" -}}
- name: consul-api
  port: {{ .Values.service.apiPort }}
  targetPort: consul-api
  protocol: TCP
  {{- if and $nodePorts .Values.service.apiNodePort }}
  nodePort: {{ .Values.service.apiNodePort }}
  {{- end }}
{{- if .Values.config.dnsEnabled }}
{{- range $protocol := list "UDP" "TCP" }}
- name: dns-{{ lower $protocol }}
  port: {{ $.Values.service.dnsPort }}
  targetPort: dns-{{ lower $protocol }}
  protocol: {{ $protocol }}
  {{- if and $nodePorts $.Values.service.dnsNodePort }}
  nodePort: {{ $.Values.service.dnsNodePort }}
  {{- end }}
{{- end }}
{{- end }}
{{- end -}}
