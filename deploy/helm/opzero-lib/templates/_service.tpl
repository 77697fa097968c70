{{/*
The app's Service: the app's port under the name http (or https), the ports the app chart
adds (opzero.app.servicePorts) and service.extraPorts.
type, nodePort, loadBalancerIP and externalTrafficPolicy come from values, so a chart that
needs a fixed address (consul-gateway) gets one without a template of its own.
*/}}
{{- define "opzero.service" -}}
{{- $portName := include "opzero.app.scheme" . | lower -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "opzero.metadata" . | nindent 2 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  {{- if and .Values.service.loadBalancerIP (eq .Values.service.type "LoadBalancer") }}
  loadBalancerIP: {{ .Values.service.loadBalancerIP }}
  {{- end }}
  {{- if and .Values.service.externalTrafficPolicy (ne .Values.service.type "ClusterIP") }}
  externalTrafficPolicy: {{ .Values.service.externalTrafficPolicy }}
  {{- end }}
  selector:
    {{- include "opzero.selectorLabels" . | nindent 4 }}
  ports:
    - name: {{ $portName }}
      port: {{ .Values.service.port }}
      targetPort: {{ $portName }}
      protocol: TCP
      {{- if and .Values.service.nodePort (ne .Values.service.type "ClusterIP") }}
      nodePort: {{ .Values.service.nodePort }}
      {{- end }}
    {{- with include "opzero.app.servicePorts" . | trim }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with .Values.service.extraPorts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
