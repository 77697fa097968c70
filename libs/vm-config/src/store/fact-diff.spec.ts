import { csvField, diffFacts, toCsv } from '../index';

describe('diffFacts', () => {
  it('lists leaf changes by path: added, removed, changed; equal facts give none', () => {
    const before = { packages: { curl: { version: '7.88.1' }, vim: { version: '9.0' } }, network: { interfaces: { eth0: { addresses: [{ address: '10.0.0.1' }] } } } };
    const after = { packages: { curl: { version: '7.88.2' }, jq: { version: '1.6' } }, network: { interfaces: { eth0: { addresses: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }] } } } };
    expect(diffFacts(before, after)).toEqual([
      { path: 'network.interfaces.eth0.addresses.1.address', kind: 'added', after: '10.0.0.2' },
      { path: 'packages.curl.version', kind: 'changed', before: '7.88.1', after: '7.88.2' },
      { path: 'packages.jq.version', kind: 'added', after: '1.6' },
      { path: 'packages.vim.version', kind: 'removed', before: '9.0' },
    ]);
    expect(diffFacts(before, structuredClone(before))).toEqual([]);
  });

  it('treats empty objects as leaves and type changes as changes', () => {
    expect(diffFacts({ a: {}, b: 1 }, { b: '1', c: [] })).toEqual([
      { path: 'a', kind: 'removed', before: {} },
      { path: 'b', kind: 'changed', before: 1, after: '1' },
      { path: 'c', kind: 'added', after: [] },
    ]);
  });
});

describe('CSV export', () => {
  it('quotes separators and neutralises spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(toCsv([{ node: 'web-01', os: 'debian', osVersion: '12', kernel: '6.1', version: 2, firstSeen: 'f', updatedAt: 'u' }])).toBe('node,os,osVersion,kernel,version,firstSeen,updatedAt\r\nweb-01,debian,12,6.1,2,f,u\r\n');
  });
});
