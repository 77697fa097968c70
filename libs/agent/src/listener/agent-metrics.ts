/** The agent's own counters, served on /agent/v1/metrics (JSON, or Prometheus text with ?format=prometheus). */
export class AgentMetrics {
  authSuccess = 0;
  authFailure = 0;
  renders = 0;
  proxied = 0;

  constructor(private readonly vaultRequests: () => number) {}

  json(): Record<string, unknown> {
    return {
      Timestamp: new Date().toISOString(),
      Counters: [
        { Name: 'vault.agent.auth.success', Count: this.authSuccess },
        { Name: 'vault.agent.auth.failure', Count: this.authFailure },
        { Name: 'vault.agent.template.render', Count: this.renders },
        { Name: 'vault.agent.proxy.request', Count: this.proxied },
        { Name: 'vault.agent.template.vault_request', Count: this.vaultRequests() },
      ],
      Gauges: [],
      Samples: [],
    };
  }

  prometheus(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, value: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
    counter('vault_agent_auth_success', 'Successful auto-auth logins.', this.authSuccess);
    counter('vault_agent_auth_failure', 'Failed auto-auth logins.', this.authFailure);
    counter('vault_agent_template_render', 'Template files written.', this.renders);
    counter('vault_agent_proxy_request', 'Requests proxied to Vault.', this.proxied);
    counter('vault_agent_template_vault_request', 'Vault requests made for templates.', this.vaultRequests());
    return lines.join('\n') + '\n';
  }
}
