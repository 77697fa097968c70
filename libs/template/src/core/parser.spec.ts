import { parseTrees } from './parser';
import { TemplateError } from './template-error';

const parse = (src: string) => parseTrees('t.tmpl', src, { hasFunction: (n) => ['f', 'secret'].includes(n) });

describe('parser', () => {
  it('collects define and block trees beside the main one', () => {
    expect([...parse('{{ define "a" }}A{{ end }}{{ block "b" . }}B{{ end }}').keys()].sort()).toEqual(['a', 'b', 't.tmpl']);
  });

  it.each([
    ['{{ nope }}', 't.tmpl:1:4: function "nope" not defined'],
    ['{{ $x }}', 't.tmpl:1:4: undefined variable "$x"'],
    ['{{ if 1 }}', 't.tmpl:1:9: unexpected EOF'],
    ['{{ break }}', 't.tmpl:1:4: {{break}} outside {{range}}'],
    ['\n\n  {{ f "x" | "y" }}', 't.tmpl:3:14: non executable command in pipeline stage 2'],
  ])('rejects %p', (src, message) => {
    expect(() => parse(src)).toThrow(TemplateError);
    expect(() => parse(src)).toThrow(message);
  });

  it('trims around markers and keeps -3 as a number', () => {
    const root = parse('a \n{{- -3 -}} \nb').get('t.tmpl')!.root;
    expect(root.nodes.map((n) => n.kind)).toEqual(['text', 'action', 'text']);
    expect(root.nodes[0]).toMatchObject({ text: 'a' });
    expect(root.nodes[2]).toMatchObject({ text: 'b' });
  });
});
