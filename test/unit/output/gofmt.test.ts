import { describe, expect, it } from 'vitest';
import { formatG, goQuote, printValue, sprint, sprintf } from '../../../src/cli/output/gofmt.js';
import { goJson } from '../../../src/cli/output/gojson.js';

describe('sprintf (Go fmt)', () => {
  const cases: [string, unknown[], string][] = [
    ['%-10s|', ['ab'], 'ab        |'],
    ['%10s|', ['ab'], '        ab|'],
    ['%.2s', ['abc'], 'ab'],
    ['%5.2f', [1.23456], ' 1.23'],
    ['%05d', [42], '00042'],
    ['%+d %d', [5, -5], '+5 -5'],
    ['%x %X %#x', [255, 255, 255], 'ff FF 0xff'],
    ['%x', ['hi'], '6869'],
    ['%q', ['a"b\n'], '"a\\"b\\n"'],
    ['%q', [97], "'a'"],
    ['%v %v %v %v', [[1, 'a'], true, null, { b: 1, a: 2 }], '[1 a] true <nil> map[a:2 b:1]'],
    ['%t', [false], 'false'],
    ['%c', [0x263a], '☺'],
    ['%e', [1234.5678], '1.234568e+03'],
    ['%g %g %g', [100000, 1000000, 0.00001], '100000 1e+06 1e-05'],
    ['%.3g', [1234], '1.23e+03'],
    ['%T %T %T', ['s', 1, 1.5], 'string int float64'],
    ['100%%', [], '100%'],
    ['%d', ['x'], '%!d(string=x)'],
    ['%s', [3], '%!s(int=3)'],
    ['%s %s', ['a'], 'a %!s(MISSING)'],
    ['x', [1, 'y'], 'x%!(EXTRA int=1, string=y)'],
    ['%s', [['a', 'b']], '[a b]'],
    ['%*d|', [4, 7], '   7|'],
  ];
  it.each(cases)('%j %j', (f, args, want) => expect(sprintf(f, args)).toBe(want));
});

describe('Go value printing', () => {
  it('prints like %v', () => {
    expect(printValue(undefined)).toBe('<no value>');
    expect(printValue(null)).toBe('<nil>');
    expect(printValue(1e6)).toBe('1000000');
    expect(printValue(0.1)).toBe('0.1');
    expect(printValue(1234567.5)).toBe('1.2345675e+06');
    expect(printValue([[1, 2], []])).toBe('[[1 2] []]');
    expect(sprint(['a', 1, 2, 'b'])).toBe('a1 2b');
  });

  it('formats %g like strconv', () => {
    expect(formatG(4.264, 3)).toBe('4.26');
    expect(formatG(1.2, 3)).toBe('1.2');
    expect(formatG(999.999, 3)).toBe('1e+03');
    expect(formatG(100, 3)).toBe('100');
    expect(formatG(0, 3)).toBe('0');
    expect(formatG(Number.NaN, -1)).toBe('NaN');
  });

  it('quotes like strconv.Quote', () => {
    expect(goQuote('a\tb\x01\x7f"\\é')).toBe('"a\\tb\\x01\\x7f\\"\\\\é"');
  });
});

describe('goJson (encoding/json)', () => {
  it('escapes as Go does, HTML-safe by default', () => {
    expect(goJson({ a: '<>&', b: '\u2028\x01\b\f\n\t"\\' })).toBe(
      '{"a":"\\u003c\\u003e\\u0026","b":"\\u2028\\u0001\\b\\f\\n\\t\\"\\\\"}',
    );
    expect(goJson({ a: '<>&' }, { escapeHtml: false })).toBe('{"a":"<>&"}');
    expect(goJson('\ud800x')).toBe('"\\ufffdx"');
    expect(goJson('😀')).toBe('"😀"');
  });

  it('formats numbers and values like Go', () => {
    expect(goJson([1, 2.5, -0, 1e21, 1e-7, 123456789, null, undefined, true])).toBe(
      '[1,2.5,-0,1e+21,1e-7,123456789,null,null,true]',
    );
    expect(goJson(new Date('2024-01-02T03:04:05.5Z'))).toBe('"2024-01-02T03:04:05.5Z"');
    expect(() => goJson(Number.NaN)).toThrow('json: unsupported value: NaN');
  });

  it('keeps struct field order, sorts map keys, calls lazy fields, drops undefined', () => {
    expect(
      goJson({
        Z: 1,
        A: { y: 2 },
        M: new Map([
          ['b', 1],
          ['a', 2],
        ]),
        L: () => 'lazy',
        U: undefined,
      }),
    ).toBe('{"Z":1,"A":{"y":2},"M":{"a":2,"b":1},"L":"lazy"}');
  });

  it('indents like MarshalIndent', () => {
    expect(goJson([{ A: 1, B: [] }, {}], { indent: '    ' })).toBe(
      '[\n    {\n        "A": 1,\n        "B": []\n    },\n    {}\n]',
    );
    expect(goJson([], { indent: '    ' })).toBe('[]');
  });
});
