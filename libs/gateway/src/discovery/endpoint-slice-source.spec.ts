import { EndpointSliceSource } from './endpoint-slice-source';

describe('EndpointSliceSource', () => {
  it('starts the watch once and answers with the latest host:port entries, DNS on the servers port', async () => {
    let push: (entries: string[]) => void = () => undefined;
    let starts = 0;
    const source = new EndpointSliceSource(async (onChange) => {
      starts++;
      push = onChange;
      onChange(['10.1.0.7:8500']);
      return { stop: async () => undefined };
    }, 8601);
    expect(await source.discover()).toEqual([{ id: '10.1.0.7:8500', host: '10.1.0.7', httpPort: 8500, dnsPort: 8601 }]);
    push(['10.1.0.7:8500', '[fd00::9]:18500', 'consul-1.example.org:8501']);
    expect((await source.discover()).map((server) => server.id)).toEqual(['10.1.0.7:8500', '[fd00::9]:18500', 'consul-1.example.org:8501']);
    expect(starts).toBe(1);
  });
});
