import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DnsMetrics } from './dns/dns-forwarder';
import type { ProxyMetrics, ProxyOutcome } from './proxy/http-proxy';
import type { RouteTarget, ServerSet } from './server-set';

/**
 * Prometheus metrics of a gateway: the servers it sees (healthy, leader, in flight, read at
 * scrape time), request outcomes, retries, hold times and DNS outcomes.
 */
export function gatewayMetrics(registry: Registry, servers: () => ServerSet | undefined): { proxy: ProxyMetrics; dns: DnsMetrics } {
  const registers = [registry];
  // With several workers (node:cluster) the primary merges their metrics: flags take the max.
  const serverGauge = (name: string, help: string, value: (row: ReturnType<ServerSet['status']>[number]) => number, aggregator: 'max' | 'sum' = 'max') =>
    new Gauge({
      name,
      help,
      labelNames: ['server', 'node'],
      registers,
      aggregator,
      collect() {
        this.reset();
        for (const row of servers()?.status() ?? []) this.set({ server: row.id, node: row.node ?? '' }, value(row));
      },
    });
  serverGauge('opzero_consul_gateway_server_healthy', '1 when the Consul server passes the gateway checks', (row) => Number(row.healthy));
  serverGauge('opzero_consul_gateway_server_leader', '1 for the Consul server the gateway knows as raft leader', (row) => Number(row.leader));
  serverGauge('opzero_consul_gateway_server_in_flight', 'requests in flight to the Consul server', (row) => row.inFlight, 'sum');
  // Counted in plain numbers and handed to prom-client at scrape time: inc() with labels hashes
  // the label object on every request, a cost paid per proxied request for nothing.
  const outcomes = new Map<ProxyOutcome, Map<RouteTarget, { labels: { outcome: ProxyOutcome; target: RouteTarget }; count: number }>>();
  new Counter({
    name: 'opzero_consul_gateway_requests_total',
    help: 'proxied HTTP requests by outcome and route',
    labelNames: ['outcome', 'target'],
    registers,
    collect() {
      this.reset();
      for (const byTarget of outcomes.values()) for (const { labels, count } of byTarget.values()) this.inc(labels, count);
    },
  });
  const finished: ProxyMetrics['finished'] = (outcome, kind) => {
    let byTarget = outcomes.get(outcome);
    if (!byTarget) outcomes.set(outcome, (byTarget = new Map()));
    const entry = byTarget.get(kind.target);
    if (entry) entry.count++;
    else byTarget.set(kind.target, { labels: { outcome, target: kind.target }, count: 1 });
  };
  const retries = new Counter({ name: 'opzero_consul_gateway_retries_total', help: 'attempts sent again to another server, by failure', labelNames: ['failure'], registers });
  const held = new Histogram({
    name: 'opzero_consul_gateway_hold_seconds',
    help: 'time requests waited for a fitting server (a leader during elections)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers,
  });
  const dns = new Counter({ name: 'opzero_consul_gateway_dns_queries_total', help: 'DNS queries by transport and outcome', labelNames: ['transport', 'outcome'], registers });
  return {
    proxy: {
      finished,
      retried: (failure) => retries.inc({ failure }),
      held: (ms) => held.observe(ms / 1000),
    },
    dns: { query: (transport, outcome) => dns.inc({ transport, outcome }) },
  };
}
