import type { CatalogServiceInstance } from '@opzero/consul';
import { catalogServers, type PortRules, type RememberedPorts } from './catalog-servers';

const META: PortRules = { defaultHttpPort: 8500, defaultDnsPort: 8600, httpPortMeta: 'http-port', dnsPortMeta: 'dns-port' };
const NO_META: PortRules = { defaultHttpPort: 8500, defaultDnsPort: 8600 };

function instance(node: string, address: string, raftPort: number, meta: Record<string, string> = {}): CatalogServiceInstance {
  return { node, address, datacenter: 'dc1', nodeMeta: meta, serviceId: 'consul', serviceName: 'consul', serviceAddress: '', servicePort: raftPort, serviceTags: [], serviceMeta: {}, modifyIndex: 1 };
}
const withPorts = (http: number, dns: number) => ({ 'http-port': String(http), 'dns-port': String(dns) });
const ids = (answer: { servers: { id: string }[] }) => answer.servers.map((server) => server.id).sort();

describe('catalogServers', () => {
  it('gives a new server alone on its host the default ports before its node meta is synced (Kubernetes, meta keys configured)', () => {
    const answer = catalogServers(
      [instance('consul-0', '10.1.0.4', 8300, withPorts(8500, 8600)), instance('consul-1', '10.1.0.5', 8300, withPorts(8500, 8600)), instance('consul-2', '10.1.0.9', 8300)],
      ['10.1.0.4:8300', '10.1.0.5:8300', '10.1.0.9:8300'],
      META,
    );
    expect(ids(answer)).toEqual(['10.1.0.4:8500', '10.1.0.5:8500', '10.1.0.9:8500']);
    expect(answer.servers.find((server) => server.host === '10.1.0.9')).toEqual({ id: '10.1.0.9:8500', host: '10.1.0.9', httpPort: 8500, dnsPort: 8600, node: 'consul-2' });
    expect(answer.unresolved).toEqual([]);
  });

  it('adds a raft voter the catalog does not list yet on a host of its own, matched by raft address, not by host', () => {
    const answer = catalogServers([instance('consul-0', '10.1.0.4', 8300, withPorts(8500, 8600))], ['10.1.0.4:8300', '10.1.0.7:8300', '[fd00::9]:8300'], META);
    expect(ids(answer)).toEqual(['10.1.0.4:8500', '10.1.0.7:8500', '[fd00::9]:8500']);
  });

  it('several servers on one host: a server without meta yet is reported unresolved, never guessed onto the default port', () => {
    const answer = catalogServers(
      [instance('consul-1', '127.0.0.1', 20300, withPorts(20500, 20600)), instance('consul-2', '127.0.0.1', 21300, withPorts(21500, 21600)), instance('consul-4', '127.0.0.1', 23300)],
      ['127.0.0.1:20300', '127.0.0.1:21300', '127.0.0.1:23300', '127.0.0.1:24300'],
      META,
    );
    expect(ids(answer)).toEqual(['127.0.0.1:20500', '127.0.0.1:21500']);
    expect(answer.unresolved.sort()).toEqual(['127.0.0.1:23300', '127.0.0.1:24300']);
  });

  it('keeps the ports of a server whose meta was wiped (a leader registration racing its anti-entropy sync) while its raft address stays', () => {
    const first = catalogServers([instance('consul-1', '127.0.0.1', 20300, withPorts(20500, 20600)), instance('consul-2', '127.0.0.1', 21300, withPorts(21500, 21600))], ['127.0.0.1:20300', '127.0.0.1:21300'], META);
    const wiped = catalogServers([instance('consul-1', '127.0.0.1', 20300, withPorts(20500, 20600)), instance('consul-2', '127.0.0.1', 21300)], ['127.0.0.1:20300', '127.0.0.1:21300'], META, first.seenPorts);
    expect(ids(wiped)).toEqual(['127.0.0.1:20500', '127.0.0.1:21500']);
    expect(wiped.servers.find((server) => server.node === 'consul-2')?.dnsPort).toBe(21600);
    // Still remembered one round later, and forgotten once the node runs on another raft port (a new process).
    const again = catalogServers([instance('consul-1', '127.0.0.1', 20300, withPorts(20500, 20600)), instance('consul-2', '127.0.0.1', 21300)], ['127.0.0.1:20300', '127.0.0.1:21300'], META, wiped.seenPorts);
    expect(ids(again)).toEqual(['127.0.0.1:20500', '127.0.0.1:21500']);
    const moved = catalogServers([instance('consul-1', '127.0.0.1', 20300, withPorts(20500, 20600)), instance('consul-2', '127.0.0.1', 25300)], ['127.0.0.1:20300', '127.0.0.1:25300'], META, again.seenPorts);
    expect(ids(moved)).toEqual(['127.0.0.1:20500']);
    expect(moved.unresolved).toEqual(['127.0.0.1:25300']);
  });

  it('forgets nodes the catalog no longer lists', () => {
    const remembered = new Map<string, RememberedPorts>([['consul-9', { raftAddress: '127.0.0.1:29300', httpPort: 29500, dnsPort: 29600 }]]);
    expect(catalogServers([instance('consul-1', '127.0.0.1', 20300, withPorts(20500, 20600))], [], META, remembered).seenPorts.has('consul-9')).toBe(false);
  });

  it('without meta keys every server gets the default ports, one per host', () => {
    const answer = catalogServers([instance('consul-0', '10.1.0.4', 8300, withPorts(9999, 9998))], ['10.1.0.4:8300', '10.1.0.5:8300'], NO_META);
    expect(answer.servers).toEqual([
      { id: '10.1.0.4:8500', host: '10.1.0.4', httpPort: 8500, dnsPort: 8600, node: 'consul-0' },
      { id: '10.1.0.5:8500', host: '10.1.0.5', httpPort: 8500, dnsPort: 8600 },
    ]);
  });

  it('ignores malformed peers and meta ports out of range', () => {
    const answer = catalogServers([instance('consul-0', '10.1.0.4', 8300, { 'http-port': '70000' })], ['nonsense', ':8300', '10.1.0.6:notaport'], META);
    expect(ids(answer)).toEqual(['10.1.0.4:8500']);
  });
});
