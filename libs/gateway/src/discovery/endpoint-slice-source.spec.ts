import { EndpointSliceSource } from './endpoint-slice-source';

describe('EndpointSliceSource', () => {
  it('starts the watch once and answers with the latest ready addresses on the server ports', async () => {
    let push: (addresses: string[]) => void = () => undefined;
    let starts = 0;
    const source = new EndpointSliceSource(
      async (onChange) => {
        starts++;
        push = onChange;
        onChange(['10.1.0.7']);
        return { stop: async () => undefined };
      },
      { httpPort: 8501, dnsPort: 8601 },
    );
    expect(await source.discover()).toEqual([{ id: '10.1.0.7:8501', host: '10.1.0.7', httpPort: 8501, dnsPort: 8601 }]);
    push(['10.1.0.7', '10.2.0.9']);
    expect((await source.discover()).map((server) => server.id)).toEqual(['10.1.0.7:8501', '10.2.0.9:8501']);
    expect(starts).toBe(1);
  });
});
