import type { V1EndpointSlice } from '@kubernetes/client-node';
import { readyAddresses, sliceAddresses } from './endpoint-slices';

describe('readyAddresses', () => {
  it('unions the addresses of every slice, sorted, skipping endpoints marked not ready', () => {
    const slices: V1EndpointSlice[] = [
      { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.9'] }, { addresses: ['10.0.0.3'], conditions: { ready: false } }] },
      { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1', '10.0.0.9'], conditions: { ready: true } }] },
      { addressType: 'IPv4', endpoints: [] },
    ];
    expect(readyAddresses(slices)).toEqual(['10.0.0.1', '10.0.0.9']);
  });
});

describe('sliceAddresses', () => {
  const slices: V1EndpointSlice[] = [
    {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8200 }, { name: 'https-internal', port: 8201 }],
      endpoints: [
        { addresses: ['10.0.0.2'], conditions: { ready: true } },
        // A sealed Vault pod: running, failing its readiness probe.
        { addresses: ['10.0.0.1'], conditions: { ready: false, serving: false, terminating: false } },
        { addresses: ['10.0.0.3'], conditions: { ready: false, serving: true, terminating: true } },
      ],
    },
    { addressType: 'IPv6', ports: [{ name: 'http', port: 8200 }], endpoints: [{ addresses: ['fd00::5'], conditions: { ready: false } }] },
    { addressType: 'FQDN', ports: [{ name: 'http', port: 18200 }], endpoints: [{ addresses: ['vault-0.example.org'] }] },
    { addressType: 'IPv4', ports: [{ name: 'metrics', port: 9102 }], endpoints: [{ addresses: ['10.0.0.8'] }] },
    { addressType: 'IPv4', ports: [{ port: 8300 }], endpoints: [{ addresses: ['10.0.0.7'] }] },
  ];

  it('with includeNotReady keeps not-ready endpoints and still leaves terminating ones out', () => {
    expect(sliceAddresses(slices, { includeNotReady: true })).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.7', '10.0.0.8', 'fd00::5', 'vault-0.example.org']);
    expect(sliceAddresses(slices, {})).toEqual(['10.0.0.2', '10.0.0.7', '10.0.0.8', 'vault-0.example.org']);
  });

  it('with a port name gives host:port from each slice that has that port, IPv6 hosts in brackets', () => {
    expect(sliceAddresses(slices, { includeNotReady: true, port: 'http' })).toEqual(['10.0.0.1:8200', '10.0.0.2:8200', '[fd00::5]:8200', 'vault-0.example.org:18200']);
    expect(sliceAddresses(slices, { port: '' })).toEqual(['10.0.0.7:8300']);
  });
});
