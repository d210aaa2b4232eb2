import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  goMap,
  headerName,
  prepareFormat,
  withGoType,
} from '../../../src/cli/output/template.js';
import { BerthError } from '../../../src/util/errors.js';

const data = {
  ID: 'abc',
  Names: 'web',
  N: 3,
  F: 2.5,
  Ok: true,
  Labels: { a: 'x', b: 'y' },
  List: ['a', 'b', 'c'],
  Empty: [] as string[],
  Config: { Image: '<b>&', Env: ['A=1', 'B=2'] },
  Nil: null,
  Computed() {
    return 'lazy';
  },
  Label(key: string) {
    return (this.Labels as Record<string, string>)[key] ?? '';
  },
};

function render(src: string, d: unknown = data): string {
  return compileTemplate(src).render(d);
}

function failure(src: string, d: unknown = data): BerthError {
  try {
    compileTemplate(src).render(d);
  } catch (e) {
    expect(e).toBeInstanceOf(BerthError);
    expect((e as BerthError).exitCode).toBe(125);
    return e as BerthError;
  }
  throw new Error(`template ${src} did not fail`);
}

describe('compileTemplate: rendering like Go text/template', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['{{.ID}}', 'abc'],
    ['{{ .ID }}-{{.Names}}', 'abc-web'],
    ['{{.Config.Image}}', '<b>&'],
    ['{{.N}} {{.F}} {{.Ok}}', '3 2.5 true'],
    ['{{.List}}', '[a b c]'],
    ['{{.Labels}}', 'map[a:x b:y]'],
    ['{{.Nil}}', '<nil>'],
    ['{{.Computed}}', 'lazy'],
    ['{{.Label "b"}}', 'y'],
    ['{{"a" | .Label}}', 'x'],
    ['{{index .Labels "a"}}', 'x'],
    ['[{{index .Labels "missing"}}]', '[]'],
    ['{{index .List 1}}', 'b'],
    ['{{index .Config.Env 0}}', 'A=1'],
    ['{{json .Config}}', '{"Image":"<b>&","Env":["A=1","B=2"]}'],
    ['{{json .List}}', '["a","b","c"]'],
    ['{{json .ID}}', '"abc"'],
    ['{{.Names | upper}}', 'WEB'],
    ['{{upper .Names | lower}}', 'web'],
    ['{{title "hello world-foo"}}', 'Hello World-Foo'],
    ['{{join .List ", "}}', 'a, b, c'],
    ['{{split "a:b:c" ":"}}', '[a b c]'],
    ['{{index (split "a:b" ":") 1}}', 'b'],
    ['{{len .List}} {{len .ID}} {{len .Labels}} {{len "é"}}', '3 3 2 2'],
    ['{{truncate .ID 2}}|{{truncate .ID 10}}', 'ab|abc'],
    ['[{{pad .ID 1 2}}][{{pad "" 1 2}}]', '[ abc  ][]'],
    ['{{printf "%-6s|%4d|%q|%v|%05.1f" .ID .N .ID .List .F}}', 'abc   |   3|"abc"|[a b c]|002.5'],
    ['{{.ID | printf "%s-%s" "x"}}', 'x-abc'],
    ['{{printf "%d" .ID}}', '%!d(string=abc)'],
    ['{{printf "%s %s" .ID}}', 'abc %!s(MISSING)'],
    ['{{println "a" 1}}', 'a 1\n'],
    ['{{print 1 2 "x" 3 "y"}}', '1 2x3y'],
    ['{{if .Ok}}yes{{end}}', 'yes'],
    ['{{if .Empty}}yes{{else}}no{{end}}', 'no'],
    ['{{if eq .N 1}}one{{else if eq .N 3}}three{{else}}other{{end}}', 'three'],
    ['{{if eq .N 1}}one{{else if eq .N 2}}two{{else}}other{{end}}', 'other'],
    ['{{if and .Ok (gt .N 2)}}big{{end}}', 'big'],
    ['{{and .ID .N}} {{or 0 "" .Names}} {{not .ID}} {{or 0 ""}}', '3 web false '],
    [
      '{{eq .ID "x" "abc"}} {{ne .N 3}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}',
      'true false true true true false',
    ],
    ['{{if not .Nil}}nil is false{{end}}', 'nil is false'],
    ['{{range .List}}{{.}},{{end}}', 'a,b,c,'],
    ['{{range $i, $v := .List}}{{$i}}={{$v}} {{end}}', '0=a 1=b 2=c '],
    ['{{range $v := .List}}{{$v}}{{end}}', 'abc'],
    ['{{range $k, $v := .Labels}}{{$k}}:{{$v}};{{end}}', 'a:x;b:y;'],
    ['{{range .Empty}}x{{else}}none{{end}}', 'none'],
    ['{{range .List}}{{$.ID}}{{end}}', 'abcabcabc'],
    ['{{range .List}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', 'a'],
    ['{{range .List}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}', 'ac'],
    ['{{range 3}}{{.}}{{end}}', '012'],
    ['{{with .Config}}{{.Image}}{{end}}', '<b>&'],
    ['{{with .Empty}}x{{else}}empty{{end}}', 'empty'],
    ['{{$x := .N}}{{$x}}{{$x = 5}}{{$x}}', '35'],
    ['{{if $v := .ID}}{{$v}}{{end}}', 'abc'],
    ['{{$.ID}} {{$.Config.Image}}', 'abc <b>&'],
    ['{{(index .List 1) | upper}}', 'B'],
    // Docker replaces a typed \n before parsing, so even a raw string gets a newline.
    ['{{"quoted\\"s"}} {{`raw\\n`}} {{1.5}} {{0x10}} {{\'a\'}} {{-2}}', 'quoted"s raw\n 1.5 16 97 -2'],
    ['a  {{- .ID -}}  b', 'aabcb'],
    ['a\n  {{- .ID }}\n  b', 'aabc\n  b'],
    ['{{/* a comment */}}x{{- /* trimmed */ -}} y', 'xy'],
    ['{{.}}', 'x'],
  ];
  it.each(cases)('%j', (src, want) => {
    expect(render(src, src === '{{.}}' ? 'x' : data)).toBe(want);
  });

  it('turns typed \\t and \\n into tab and newline, as Docker does', () => {
    expect(render('{{.ID}}\\t{{.Names}}\\n')).toBe('abc\tweb\n');
    expect(prepareFormat('table  {{.ID}}\\t{{.Names}} ')).toEqual({
      isTable: true,
      text: '{{.ID}}\t{{.Names}}',
    });
    expect(prepareFormat('{{.ID}}')).toEqual({ isTable: false, text: '{{.ID}}' });
  });

  it('treats Maps and goMap() objects as Go maps: a missing key is <no value>', () => {
    expect(render('{{.Labels.a}}/{{.Labels.zz}}', { Labels: goMap({ a: 'x' }) })).toBe('x/<no value>');
    expect(render('{{.M.k}}/{{.M.q}}', { M: new Map([['k', 1]]) })).toBe('1/<no value>');
    expect(
      render('{{range $k, $v := .M}}{{$k}}{{$v}}{{end}}', {
        M: new Map([
          ['b', 2],
          ['a', 1],
        ]),
      }),
    ).toBe('a1b2');
  });

  it('calls function fields only when used, with the row as this', () => {
    let calls = 0;
    const row = {
      ID: 'x',
      Size: () => {
        calls++;
        return '1kB';
      },
    };
    const t = compileTemplate('{{.ID}}');
    expect(t.render(row)).toBe('x');
    expect(calls).toBe(0);
    expect(compileTemplate('{{.Size}}').render(row)).toBe('1kB');
    expect(calls).toBe(1);
  });

  it('parses once and renders many rows', () => {
    const t = compileTemplate('{{.ID}}:{{.N}}');
    expect(
      [
        { ID: 'a', N: 1 },
        { ID: 'b', N: 2 },
      ].map((r) => t.render(r)),
    ).toEqual(['a:1', 'b:2']);
  });
});

describe('compileTemplate: errors in Go/Docker wording', () => {
  it('reports an unknown field with its position and type', () => {
    expect(failure('{{.Foo}}').message).toBe(
      'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type struct',
    );
    const typed = compileTemplate('{{.ID}} {{.Nope}}', { typeName: '*formatter.ContainerContext' });
    expect(() => typed.render({ ID: 'a' })).toThrow(
      'template: :1:10: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext',
    );
    expect(failure('x\nab {{.Config.Nope}}').message).toBe(
      'template: :2:5: executing "" at <.Config.Nope>: can\'t evaluate field Nope in type map[string]interface {}',
    );
    expect(failure('{{.C.Nope}}', { C: withGoType({}, '*types.Config') }).message).toContain(
      "can't evaluate field Nope in type *types.Config",
    );
    expect(failure('{{.ID.Foo}}').message).toContain("can't evaluate field Foo in type string");
  });

  it('reports nil pointers, bad calls and comparisons', () => {
    expect(failure('{{.Nil.X}}').message).toContain('at <.Nil.X>: nil pointer evaluating interface {}.X');
    expect(failure('{{eq .ID 1}}').message).toBe(
      'template: :1:2: executing "" at <eq .ID 1>: error calling eq: incompatible types for comparison',
    );
    expect(failure('{{index .List 7}}').message).toContain('error calling index: index out of range: 7');
    expect(failure('{{upper .N}}').message).toContain('wrong type for value; expected string; got int');
    expect(failure('{{upper .ID .ID}}').message).toContain('wrong number of args for upper: want 1 got 2');
    expect(failure('{{.ID "x"}}').message).toContain('ID has arguments but cannot be invoked as function');
    expect(failure('{{range .ID}}{{end}}').message).toContain("range can't iterate over abc");
  });

  const parseErrors: [string, string][] = [
    ['{{.ID', 'template: :1: unclosed action'],
    ['{{if .ID}}x', 'template: :1: unexpected EOF'],
    ['{{end}}', 'template: :1: unexpected {{end}}'],
    ['a\n{{foo .ID}}', 'template: :2: function "foo" not defined'],
    ['{{$x}}', 'template: :1: undefined variable "$x"'],
    ['{{"abc}}', 'template: :1: unterminated quoted string'],
    ['{{.ID | "x"}}', 'template: :1: non executable command in pipeline stage 2'],
    ['{{}}', 'template: :1: missing value for command'],
    ['{{range .List}}{{else}}{{else}}{{end}}', 'template: :1: expected end; found {{else}}'],
    ['{{break}}', 'template: :1: {{break}} outside {{range}}'],
    ['{{.ID #}}', "template: :1: bad character U+0023 '#'"],
  ];
  it.each(parseErrors)('parse error %j', (src, want) => {
    expect(() => compileTemplate(src)).toThrow(BerthError);
    expect(() => compileTemplate(src)).toThrow(want);
  });

  it('names the template when given a name', () => {
    expect(() => compileTemplate('{{.X}}', { name: 'ps' }).render({})).toThrow(
      'template: ps:1:2: executing "ps" at <.X>',
    );
  });
});

describe('table headers', () => {
  it('derives headers from fields, with per-command names first', () => {
    const t = compileTemplate('table {{.ID}}\t{{.Image}}\t{{.RunningFor}}\t{{.CreatedAt}}', {
      headers: { ID: 'CONTAINER ID', RunningFor: 'CREATED' },
    });
    expect(t.isTable).toBe(true);
    expect(t.headers).toEqual(['CONTAINER ID', 'IMAGE', 'CREATED', 'CREATED AT']);
  });

  it('keeps header names through docker/cli HeaderFunctions', () => {
    const t = compileTemplate(
      'table {{upper .Names}}\t{{json .Labels}}\t{{truncate .ID 3}}\t{{index .Labels "a"}}',
    );
    expect(t.headers).toEqual(['NAMES', 'LABELS', 'ID', 'LABELS']);
    expect(t.renderHeader({ Names: 'THE NAMES' })).toBe('THE NAMES\tLABELS\tID\tLABELS');
  });

  it('is not a table without the prefix', () => {
    expect(compileTemplate('{{.ID}}').isTable).toBe(false);
  });

  it('splits camel case the way Docker names columns', () => {
    expect(headerName('ID')).toBe('ID');
    expect(headerName('CreatedSince')).toBe('CREATED SINCE');
    expect(headerName('ImageID')).toBe('IMAGE ID');
    expect(headerName('LocalVolumes')).toBe('LOCAL VOLUMES');
  });
});
