/** Where the agent's counters come from (each component keeps its own). */
export interface MetricSources {
  vaultRequests(): number;
  authSuccesses(): number;
  authFailures(): number;
  renders(): number;
}

/** The agent's own counters, served on /agent/v1/metrics (JSON, or Prometheus text with ?format=prometheus). */
export class AgentMetrics {
  proxied = 0;

  constructor(private readonly sources: MetricSources) {}

  private counters(): Array<[string, string, number]> {
    return [
      ['vault.agent.auth.success', 'Successful auto-auth logins.', this.sources.authSuccesses()],
      ['vault.agent.auth.failure', 'Failed auto-auth logins.', this.sources.authFailures()],
      ['vault.agent.template.render', 'Template files written.', this.sources.renders()],
      ['vault.agent.proxy.request', 'Requests proxied to Vault.', this.proxied],
      ['vault.agent.template.vault_request', 'Vault requests made for templates.', this.sources.vaultRequests()],
    ];
  }

  json(): Record<string, unknown> {
    return { Timestamp: new Date().toISOString(), Counters: this.counters().map(([Name, , Count]) => ({ Name, Count })), Gauges: [], Samples: [] };
  }

  prometheus(): string {
    return (
      this.counters()
        .flatMap(([name, help, value]) => {
          const metric = name.replaceAll('.', '_');
          return [`# HELP ${metric} ${help}`, `# TYPE ${metric} counter`, `${metric} ${value}`];
        })
        .join('\n') + '\n'
    );
  }
}
