import * as k from './annotation-keys';
import type { AnnotationReader } from './annotation-reader';

type Kind = 'string' | 'int' | 'bool' | 'strings';

/** The agent telemetry stanza's parameters and types (vault-k8s `agent.Telemetry`), in its order. */
export const TELEMETRY_PARAMETERS: ReadonlyArray<readonly [string, Kind]> = [
  ['usage_gauge_period', 'string'],
  ['maximum_gauge_cardinality', 'int'],
  ['disable_hostname', 'bool'],
  ['enable_hostname_label', 'bool'],
  ['lease_metrics_epsilon', 'string'],
  ['num_lease_metrics_buckets', 'int'],
  ['add_lease_metrics_namespace_labels', 'bool'],
  ['filter_default', 'bool'],
  ['prefix_filter', 'strings'],
  ['statsite_address', 'string'],
  ['statsd_address', 'string'],
  ['circonus_api_token', 'string'],
  ['circonus_api_app', 'string'],
  ['circonus_api_url', 'string'],
  ['circonus_submission_interval', 'string'],
  ['circonus_submission_url', 'string'],
  ['circonus_check_id', 'string'],
  ['circonus_check_force_metric_activation', 'bool'],
  ['circonus_check_instance_id', 'string'],
  ['circonus_check_search_tag', 'string'],
  ['circonus_check_display_name', 'string'],
  ['circonus_check_tags', 'string'],
  ['circonus_broker_id', 'string'],
  ['circonus_broker_select_tag', 'string'],
  ['dogstatsd_addr', 'string'],
  ['dogstatsd_tags', 'strings'],
  ['prometheus_retention_time', 'string'],
  ['stackdriver_project_id', 'string'],
  ['stackdriver_location', 'string'],
  ['stackdriver_namespace', 'string'],
  ['stackdriver_debug_logs', 'bool'],
];
const KINDS = new Map(TELEMETRY_PARAMETERS);

const EXAMPLES: Record<Kind, string> = { string: '30s', int: '100', bool: 'true', strings: '["+vault.token"]' };

/**
 * The telemetry stanza from `agent-telemetry-PARAM` annotations: each value is read as JSON,
 * falling back to the raw string. vault-k8s drops the whole stanza without a word when one
 * value has the wrong type, and ignores unknown parameters; both are denied here instead.
 */
export function readTelemetry(reader: AnnotationReader): Record<string, unknown> | undefined {
  const prefix = `${k.AGENT_TELEMETRY}-`;
  const found: Record<string, unknown> = {};
  const annotations = reader.annotations;
  for (const key in annotations) {
    if (!key.startsWith(prefix)) continue;
    const raw = annotations[key]!;
    const param = key.slice(prefix.length).replaceAll('-', '_');
    const kind = KINDS.get(param);
    if (!kind) {
      reader.problem(key, undefined, `is not an agent telemetry parameter; known ones are ${[...KINDS.keys()].join(', ')}`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    if (!hasKind(value, kind)) {
      reader.problem(key, raw, `is not a ${kind === 'strings' ? 'JSON list of strings' : kind} (e.g. ${EXAMPLES[kind]})`);
      continue;
    }
    found[param] = value;
  }
  if (Object.keys(found).length === 0) return undefined;
  // Go omits zero values (omitempty); so do we, in the struct's field order.
  const ordered: Record<string, unknown> = {};
  for (const [param] of TELEMETRY_PARAMETERS) {
    const value = found[param];
    if (value === undefined || value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0)) continue;
    ordered[param] = value;
  }
  return ordered;
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}
