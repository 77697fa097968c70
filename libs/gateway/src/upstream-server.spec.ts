import { parseSeed } from './upstream-server';

describe('parseSeed', () => {
  it.each([
    ['10.0.0.5', { id: '10.0.0.5:8500', host: '10.0.0.5', httpPort: 8500 }],
    ['10.0.0.5:18500', { id: '10.0.0.5:18500', host: '10.0.0.5', httpPort: 18500 }],
    ['http://consul-0.consul:8500', { id: 'consul-0.consul:8500', host: 'consul-0.consul', httpPort: 8500 }],
    ['[fd00::1]:8501', { id: '[fd00::1]:8501', host: 'fd00::1', httpPort: 8501 }],
    ['[fd00::1]', { id: '[fd00::1]:8500', host: 'fd00::1', httpPort: 8500 }],
  ])('%s', (entry, expected) => {
    expect(parseSeed(entry)).toMatchObject({ ...expected, dnsPort: 8600 });
  });

  it.each([
    ['', /at most 300/],
    ['host:0', /port must be 1-65535/],
    ['host:99999', /port must be 1-65535/],
    ['host:http', /port must be 1-65535/],
    ['[fd00::1', /unclosed \[/],
    ['bad host:1', /DNS name or an IP/],
    ['x'.repeat(301), /at most 300/],
  ])('refuses %p naming the entry', (entry, message) => {
    expect(() => parseSeed(entry)).toThrow(message);
  });
});
