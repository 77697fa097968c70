import { endToEndHeaders, withoutHeader } from './hop-headers';

describe('endToEndHeaders', () => {
  it('keeps end-to-end headers in order, case and repetition', () => {
    expect(endToEndHeaders(['X-Consul-Token', 't', 'Accept', 'a', 'x-custom', '1', 'X-Custom', '2'])).toEqual([
      'X-Consul-Token', 't', 'Accept', 'a', 'x-custom', '1', 'X-Custom', '2',
    ]);
  });

  it('drops hop-by-hop headers and those Connection names', () => {
    expect(
      endToEndHeaders(['Connection', 'keep-alive, X-Drop', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked', 'X-Drop', 'y', 'Expect', '100-continue', 'Upgrade', 'h2c', 'Host', 'h']),
    ).toEqual(['Host', 'h']);
  });
});

describe('withoutHeader', () => {
  it('removes every occurrence of one header', () => {
    expect(withoutHeader(['Content-Length', '3', 'A', 'b', 'content-length', '4'], 'content-length')).toEqual(['A', 'b']);
  });
});
