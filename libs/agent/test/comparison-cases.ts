import { join } from 'node:path';
import { defaultTemplate } from '@opzero/template';
import type { SeededVault } from './seed-agent-vault';

/** Where one agent run lives: inputs in `in/`, the agent's home in `home/`, rendered files in `secrets/`. */
export interface CaseContext {
  dir: string;
  vault: SeededVault;
}

export interface AgentCase {
  name: string;
  /** Credential and template files to create under the run directory before the agent starts. */
  prepare?(ctx: CaseContext): Promise<Record<string, string>>;
  /** Vault Agent JSON (ours gets it as VAULT_CONFIG), or HCL text (both get -config=FILE). */
  config(ctx: CaseContext): Record<string, unknown> | string;
  env?: Record<string, string>;
  /** Parts of file contents that differ between any two runs (a fresh login token, a fresh certificate). */
  masks?: Array<[RegExp, string]>;
  /** The outcome both agents must have. */
  expect: 'success' | 'failure';
  /** Files allowed to differ, each with the reason (a deliberate, documented difference). */
  differs?: Record<string, string>;
}

const TOKEN_MASK: [RegExp, string] = [/^[a-z]{1,3}\.[A-Za-z0-9._-]{20,}$/, '<token>'];
const PEM_MASK: [RegExp, string] = [/-----BEGIN ([A-Z ]+)-----\n[A-Za-z0-9+/=\n]+-----END \1-----/g, '<$1>'];
const SERIAL_MASK: [RegExp, string] = [/([0-9a-f]{2}:){10,}[0-9a-f]{2}/g, '<serial>'];
const UUID_MASK: [RegExp, string] = [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '<uuid>'];
const EXPIRY_MASK: [RegExp, string] = [/\b1\d{9}\b/g, '<unix time>'];

const path = (ctx: CaseContext, ...parts: string[]) => join(ctx.dir, ...parts);

const tokenFile = (ctx: CaseContext) => ({ type: 'token_file', config: { token_file_path: path(ctx, 'in', 'token') } });
const approle = (ctx: CaseContext, remove?: boolean) => ({
  type: 'approle',
  mount_path: 'auth/approle',
  exit_on_err: true,
  config: { role_id_file_path: path(ctx, 'in', 'role-id'), secret_id_file_path: path(ctx, 'in', 'secret-id'), ...(remove === undefined ? {} : { remove_secret_id_file_after_reading: remove }) },
});
const jwt = (ctx: CaseContext, mount = 'jwt', role = 'web') => ({ type: 'jwt', mount_path: `auth/${mount}`, exit_on_err: true, config: { role, path: path(ctx, 'in', 'jwt') } });

/** vault-k8s's agent configuration shape (init container), with paths under the run directory. */
function agentConfig(ctx: CaseContext, method: object, templates: object[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    auto_auth: { method, sink: [{ type: 'file', config: { path: path(ctx, 'home', '.vault-token') } }] },
    exit_after_auth: true,
    pid_file: path(ctx, 'home', '.pid'),
    vault: { address: ctx.vault.address, retry: { num_retries: -1 } },
    ...(templates.length > 0 ? { template: templates } : {}),
    template_config: { exit_on_retry_failure: true },
    ...extra,
  };
}

function tpl(ctx: CaseContext, name: string, contents: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { destination: path(ctx, 'secrets', name), contents, left_delimiter: '{{', right_delimiter: '}}', ...extra };
}

const withToken = async (ctx: CaseContext) => ({ 'in/token': ctx.vault.agentToken });
const withApprole = async (ctx: CaseContext) => ({ 'in/role-id': ctx.vault.approleRoleId, 'in/secret-id': await ctx.vault.newSecretId() });
const withJwt = async (ctx: CaseContext) => ({ 'in/jwt': ctx.vault.signJwt() });

/** A token_file case rendering the given templates. */
function simple(name: string, templates: (ctx: CaseContext) => object[], expect: 'success' | 'failure' = 'success', extra: Record<string, unknown> = {}): AgentCase {
  return { name, prepare: withToken, config: (ctx) => agentConfig(ctx, tokenFile(ctx), templates(ctx), extra), expect };
}

const SEED_EXPORT = '{{- with secret "secret/data/devwebapp/config" -}}\nexport ID="{{ .Data.data.username }}"\nexport PASSWORD="{{ .Data.data.password }}"\n{{- end }}\n';

/** The comparison table: every case runs with `bao agent` and with ours against the same OpenBao. */
export const AGENT_CASES: AgentCase[] = [
  simple('seed devwebapp: default template (data: map[...])', (ctx) => [tpl(ctx, 'credentials.txt', defaultTemplate('secret/data/devwebapp/config'))]),
  simple('seed devwebapp: export ID=... template', (ctx) => [tpl(ctx, 'credentials.txt', SEED_EXPORT)]),
  simple('default json template', (ctx) => [tpl(ctx, 'db.json', defaultTemplate('secret/data/app/db', 'json'))]),
  simple('KV v2 read through the shim path (secret/app/db)', (ctx) => [tpl(ctx, 'db', '{{ with secret "secret/app/db" }}{{ .Data.data.user }}:{{ .Data.data.pass }}@{{ .Data.data.port }} {{ .Data.data.ratio }} {{ .Data.data.tags }}{{ end }}')]),
  simple('KV v2 earlier version (?version=1)', (ctx) => [tpl(ctx, 'db-v1', '{{ with secret "secret/data/app/db?version=1" }}{{ .Data.data.pass }} v{{ .Data.metadata.version }}{{ end }}')]),
  simple('KV v1 mount', (ctx) => [tpl(ctx, 'legacy', '{{ with secret "kv/legacy" }}{{ .Data.api_key }} {{ .Data.nested }} {{ .LeaseDuration }}{{ end }}')]),
  simple('several templates per pod', (ctx) => [
    tpl(ctx, 'a.txt', '{{ with secret "secret/data/app/api" }}{{ .Data.data.key }}{{ end }}'),
    tpl(ctx, 'b.txt', '{{ with secret "secret/data/app/api" }}{{ .Data.data.url }}{{ end }}'),
    tpl(ctx, 'c.txt', '{{ with secret "kv/legacy" }}{{ .Data.api_key }}{{ end }}'),
  ]),
  simple('perms 0400 and 0600', (ctx) => [tpl(ctx, 'ro', 'x', { perms: '0400' }), tpl(ctx, 'rw', '{{ with secret "secret/data/app/api" }}{{ .Data.data.key }}{{ end }}', { perms: '0600' })]),
  simple('perms 0444 in a nested directory', (ctx) => [tpl(ctx, 'nested/dir/file', 'nested', { perms: '0444' })]),
  simple('command after render', (ctx) => [tpl(ctx, 'cmd.txt', 'payload', { command: `cp ${path(ctx, 'secrets', 'cmd.txt')} ${path(ctx, 'secrets', 'copied.txt')}` })]),
  simple('failing command keeps the outcome', (ctx) => [tpl(ctx, 'cmd-fail.txt', 'payload', { command: 'exit 3' })]),
  simple('missing key without error_on_missing_key', (ctx) => [tpl(ctx, 'missing', '{{ with secret "secret/data/app/api" }}[{{ .Data.data.nope }}]{{ end }}')]),
  simple('missing key with error_on_missing_key', (ctx) => [tpl(ctx, 'missing-err', '{{ with secret "secret/data/app/api" }}[{{ .Data.data.nope }}]{{ end }}', { error_on_missing_key: true })], 'failure'),
  simple('missing secret path', (ctx) => [tpl(ctx, 'absent', '{{ with secret "kv/does-not-exist" }}{{ .Data }}{{ end }}')], 'failure'),
  {
    ...simple('template that does not parse', (ctx) => [tpl(ctx, 'broken', '{{ with secret "kv/legacy" }}')], 'failure'),
    differs: { 'home/.vault-token': 'ours parses templates before auth: a bad template is a bad config (exit 78, nothing written); bao logs in and may write the sink before its template server fails, a race it loses under load' },
  },
  { ...simple('PKI certificate with pkiCert', (ctx) => [tpl(ctx, 'cert.pem', '{{ with pkiCert "pki/issue/example" "common_name=web.example.com" "ttl=1h" }}{{ .Cert }}{{ .CA }}{{ .Key }}{{ end }}')]), masks: [PEM_MASK] },
  {
    ...simple('PKI certificate with secret "pki/issue/..."', (ctx) => [tpl(ctx, 'issue.pem', '{{ with secret "pki/issue/example" "common_name=api.example.com" "ttl=2h" }}{{ .Data.certificate }}\n{{ .Data.private_key_type }} {{ .Data.serial_number }} {{ .Data.expiration }}{{ end }}', { perms: '0400' })]),
    masks: [PEM_MASK, SERIAL_MASK, EXPIRY_MASK],
  },
  simple('binary from base64Decode written as raw bytes', (ctx) => [tpl(ctx, 'key.bin', '{{ "/+7dzAAB" | base64Decode }}{{ with secret "secret/data/app/api" }}{{ .Data.data.key }}{{ end }}')]),
  simple('custom delimiters', (ctx) => [tpl(ctx, 'delims', '[[ with secret "secret/data/app/api" ]][[ .Data.data.key ]] {{ literal }}[[ end ]]', { left_delimiter: '[[', right_delimiter: ']]' })]),
  {
    name: 'source template file',
    prepare: async (ctx) => ({ ...(await withToken(ctx)), 'in/db.ctmpl': '{{ with secret "secret/data/app/db" }}{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }};{{ end }}{{ end }}\n' }),
    config: (ctx) => agentConfig(ctx, tokenFile(ctx), [{ destination: path(ctx, 'secrets', 'from-source'), source: path(ctx, 'in', 'db.ctmpl') }]),
    expect: 'success',
  },
  { ...simple('env and functions', (ctx) => [tpl(ctx, 'env', '{{ env "POD_NAME" }} {{ with secret "secret/data/app/api" }}{{ .Data.data | toJSONPretty }} {{ .Data.data.key | base64Encode }} {{ .Data.data.key | sha256Hex }}{{ end }}')]), env: { POD_NAME: 'devwebapp-7d9' } },
  simple('regular expressions and parseYAML (modules loaded on first use)', (ctx) => [
    tpl(ctx, 'regex', '{{ with secret "secret/data/app/api" }}{{ .Data.data.url | regexReplaceAll "q=([0-9]+)" "q=<$1>" }} {{ regexMatch "^k-[0-9]+$" .Data.data.key }}{{ end }}\n{{ with $y := "a: 1\\nb: [x, y]" | parseYAML }}{{ $y.b }}{{ end }}'),
  ]),
  simple('list with secrets', (ctx) => [tpl(ctx, 'list', '{{ range secrets "secret/metadata/app/" }}{{ . }},{{ end }}')]),
  {
    name: 'token file auth, second sink (agent-inject-token)',
    prepare: withToken,
    config: (ctx) => {
      const c = agentConfig(ctx, tokenFile(ctx), [tpl(ctx, 'a', 'x')]);
      (c['auto_auth'] as { sink: object[] }).sink.push({ type: 'file', config: { path: path(ctx, 'secrets', 'token') } });
      return c;
    },
    expect: 'success',
  },
  {
    name: 'approle, secret_id removed after reading (default)',
    prepare: withApprole,
    config: (ctx) => agentConfig(ctx, approle(ctx), [tpl(ctx, 'approle', '{{ with secret "secret/data/devwebapp/config" }}{{ .Data.data.username }}{{ end }}')]),
    masks: [TOKEN_MASK],
    expect: 'success',
  },
  {
    name: 'approle, remove_secret_id_file_after_reading = false, token sink in secrets',
    prepare: withApprole,
    config: (ctx) => {
      const c = agentConfig(ctx, approle(ctx, false), [tpl(ctx, 'approle', 'ok')]);
      (c['auto_auth'] as { sink: object[] }).sink.push({ type: 'file', config: { path: path(ctx, 'secrets', 'token') } });
      return c;
    },
    masks: [TOKEN_MASK, UUID_MASK],
    expect: 'success',
  },
  {
    name: 'approle with a wrong secret_id and exit_on_err',
    prepare: async (ctx) => ({ 'in/role-id': ctx.vault.approleRoleId, 'in/secret-id': 'not-a-secret-id' }),
    config: (ctx) => agentConfig(ctx, approle(ctx), [tpl(ctx, 'never', 'x')]),
    expect: 'failure',
  },
  {
    name: 'jwt with a locally signed token',
    prepare: withJwt,
    config: (ctx) => agentConfig(ctx, jwt(ctx), [tpl(ctx, 'jwt', '{{ with secret "secret/data/devwebapp/config" }}{{ .Data.data.password }}{{ end }}')]),
    masks: [TOKEN_MASK],
    expect: 'success',
  },
  {
    name: 'jwt with a wrong audience and exit_on_err',
    prepare: async (ctx) => ({ 'in/jwt': ctx.vault.signJwt({ aud: 'someone-else' }) }),
    config: (ctx) => agentConfig(ctx, jwt(ctx), [tpl(ctx, 'never', 'x')]),
    expect: 'failure',
  },
  {
    name: 'kubernetes method (ServiceAccount token file, role, mount path)',
    prepare: withJwt,
    config: (ctx) => agentConfig(ctx, { type: 'kubernetes', mount_path: 'auth/kubernetes', exit_on_err: true, config: { role: 'devweb-app', token_path: path(ctx, 'in', 'jwt') } }, [tpl(ctx, 'credentials.txt', defaultTemplate('secret/data/devwebapp/config'))]),
    masks: [TOKEN_MASK],
    expect: 'success',
  },
  simple('no templates: sink only', () => []),
  {
    name: 'HCL file (ConfigMap mode, config-init.hcl)',
    prepare: withApprole,
    config: (ctx) => `exit_after_auth = true
pid_file = "${path(ctx, 'home', '.pid')}"
vault {
  address = "${ctx.vault.address}"
  retry {
    num_retries = -1
  }
}
auto_auth {
  method "approle" {
    mount_path = "auth/approle"
    exit_on_err = true
    config = {
      role_id_file_path = "${path(ctx, 'in', 'role-id')}"
      secret_id_file_path = "${path(ctx, 'in', 'secret-id')}"
    }
  }
  sink "file" {
    config = {
      path = "${path(ctx, 'home', '.vault-token')}"
    }
  }
}
template_config {
  exit_on_retry_failure = true
}
template {
  destination = "${path(ctx, 'secrets', 'credentials.txt')}"
  contents = "{{ with secret \\"secret/data/devwebapp/config\\" }}{{ .Data.data.username }}/{{ .Data.data.password }}{{ end }}"
  perms = "0440"
}
template {
  destination = "${path(ctx, 'secrets', 'legacy')}"
  contents = "{{ with secret \\"kv/legacy\\" }}{{ .Data.api_key }}{{ end }}"
}
`,
    masks: [TOKEN_MASK],
    expect: 'success',
  },
];
