/**
 * The templates vault-k8s generates when a pod names a secret but gives no template
 * (agent-inject/agent/config.go): `map` prints the secret's data with Go's %v formatting,
 * `json` prints it as JSON.
 */
export type DefaultTemplateFormat = 'map' | 'json';

export function defaultTemplate(secretPath: string, format: DefaultTemplateFormat = 'map'): string {
  // vault-k8s formats the path with %s inside quotes, unescaped.
  const quoted = `"${secretPath}"`;
  if (format === 'json') return `{{ with secret ${quoted} }}{{ .Data | toJSON }}\n{{ end }}`;
  return `{{ with secret ${quoted} }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}`;
}
