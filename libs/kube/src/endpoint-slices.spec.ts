import type { V1EndpointSlice } from '@kubernetes/client-node';
import { readyAddresses } from './endpoint-slices';

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
