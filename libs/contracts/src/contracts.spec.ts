import { ContractViolation, contracts, exampleEvents, parseEvent, Topics, type Topic } from './index';

type Mutation = [description: string, mutate: (event: Record<string, unknown>) => unknown, field: string];

const without = (field: string) => (event: Record<string, unknown>) => {
  const { [field]: _, ...rest } = event;
  return rest;
};
const withField = (field: string, value: unknown) => (event: Record<string, unknown>) => ({ ...event, [field]: value });

// Per topic: payloads that must be rejected, and the field the error must name.
const invalid: Record<Topic, Mutation[]> = {
  [Topics.podCreated]: [
    ['missing namespace', without('namespace'), 'namespace'],
    ['upper-case namespace', withField('namespace', 'Shop'), 'namespace'],
    ['unknown mode', withField('mode', 'daemon'), 'mode'],
    ['neither podName nor generateName', without('generateName'), 'podName'],
    ['secret path escaping with ..', withField('secrets', [{ name: 'db', path: 'secret/../sys' }]), 'secrets.0.path'],
    ['a secret value smuggled in', withField('value', 's3cr3t'), '(root)'],
    ['time without offset', withField('injectedAt', '2026-11-28 10:00'), 'injectedAt'],
    ['restartOnRotate as string', withField('restartOnRotate', 'true'), 'restartOnRotate'],
  ],
  [Topics.secretRotated]: [
    ['missing path', without('path'), 'path'],
    ['version zero', withField('version', 0), 'version'],
    ['fractional version', withField('version', 1.5), 'version'],
    ['unknown kind', withField('kind', 'kv-v3'), 'kind'],
    ['negative podCount', withField('podCount', -1), 'podCount'],
    ['data field', withField('data', { password: 'x' }), '(root)'],
  ],
  [Topics.sealed]: [
    ['missing node', without('node'), 'node'],
    ['empty node', withField('node', ''), 'node'],
    ['threshold as string', withField('threshold', '3'), 'threshold'],
    ['keys smuggled in', withField('keys', ['abc']), '(root)'],
  ],
  [Topics.unsealed]: [
    ['negative duration', withField('durationMs', -5), 'durationMs'],
    ['zero shares used', withField('sharesUsed', 0), 'sharesUsed'],
    ['bad time', withField('unsealedAt', 'yesterday'), 'unsealedAt'],
  ],
  [Topics.unsealFailed]: [
    ['unknown reason', withField('reason', 'bad-luck'), 'reason'],
    ['attempt zero', withField('attempt', 0), 'attempt'],
    ['message too long', withField('message', 'x'.repeat(3000)), 'message'],
  ],
  [Topics.vmconfigCollected]: [
    ['missing node', without('node'), 'node'],
    ['bad sha256', withField('factsSha256', 'abc'), 'factsSha256'],
    ['negative modifyIndex', withField('modifyIndex', -1), 'modifyIndex'],
    ['changed not an array', withField('changed', 'packages'), 'changed'],
  ],
  [Topics.consulServersChanged]: [
    ['missing datacenter', without('datacenter'), 'datacenter'],
    ['server without healthy flag', withField('servers', [{ address: '10.0.0.1:8300', leader: true }]), 'servers.0.healthy'],
    ['added not an array', withField('added', '10.0.0.1:8300'), 'added'],
  ],
};

describe.each(Object.values(Topics))('contract %s', (topic) => {
  const contract = contracts[topic];
  const example = exampleEvents[topic] as Record<string, unknown>;

  it('accepts the reference example unchanged', () => {
    expect(parseEvent(contract, example)).toEqual(example);
  });

  it('keys the example by a non-empty string', () => {
    expect(contract.key(example as never)).toMatch(/.+/);
  });

  it('has a CloudEvents type derived from the topic', () => {
    expect(contract.type).toBe(`io.opzero.${topic}`);
  });

  it.each(invalid[topic])('rejects %s, naming the field', (_description, mutate, field) => {
    const act = () => parseEvent(contract, mutate(example));
    expect(act).toThrow(ContractViolation);
    expect(act).toThrow(new RegExp(`^${topic.replace(/\./g, '\\.')}: .*${field.replace(/[.()]/g, '\\$&')}: `));
  });
});

it('every topic has invalid cases', () => {
  for (const topic of Object.values(Topics)) expect(invalid[topic].length).toBeGreaterThanOrEqual(3);
});
