import { decodeJson } from './json-decode';
import { encodeJson } from './json-encode';
import { JsonNumber } from './go-value';

describe('json', () => {
  it('keeps number text through decode and encode, as json.Number does', () => {
    const v = decodeJson('{"b":1.0,"a":1e3,"c":[1,null]}');
    expect(v).toEqual({ b: new JsonNumber('1.0'), a: new JsonNumber('1e3'), c: [new JsonNumber('1'), null] });
    expect(encodeJson(v)).toBe('{"a":1e3,"b":1.0,"c":[1,null]}');
  });

  it('escapes HTML characters and line separators like encoding/json', () => {
    expect(encodeJson('<a&b>\u2028\b')).toBe('"\\u003ca\\u0026b\\u003e\\u2028\\b"');
    expect(encodeJson('<a>', { escapeHtml: false })).toBe('"<a>"');
  });

  it('indents like MarshalIndent', () => {
    expect(encodeJson({ a: [1n], b: {} }, { indent: '  ' })).toBe('{\n  "a": [\n    1\n  ],\n  "b": {}\n}');
  });

  it('keeps a __proto__ key as data', () => {
    expect(Object.keys(decodeJson('{"__proto__":1}') as object)).toEqual(['__proto__']);
  });
});
