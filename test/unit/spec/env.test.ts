import { describe, expect, it } from 'vitest';
import { expandEnvArgs, mergeEnv, parseEnvFile } from '../../../src/spec/env.js';
import { BerthError } from '../../../src/util/errors.js';

const callerEnv: Record<string, string> = { FROM_CALLER: 'caller value', EMPTY: '' };
const lookup = (k: string) => callerEnv[k];

describe('parseEnvFile (Docker rules)', () => {
  it('keeps K=V exactly, skips comments and blank lines, takes bare K from the caller', () => {
    const text = [
      '# a comment',
      '',
      '   ',
      'A=1',
      '  B=with spaces  ',
      'C="quoted"',
      'D=',
      'E=x=y',
      '   # indented comment',
      'FROM_CALLER',
      'NOT_SET_ANYWHERE',
      'EMPTY',
      '\tF=tabbed',
    ].join('\n');
    expect(parseEnvFile(text, lookup)).toEqual([
      'A=1',
      'B=with spaces  ',
      'C="quoted"',
      'D=',
      'E=x=y',
      'FROM_CALLER=caller value',
      'EMPTY=',
      'F=tabbed',
    ]);
  });

  it('handles CRLF line ends and a UTF-8 BOM', () => {
    expect(parseEnvFile('\uFEFFA=1\r\nB=2\r\n', lookup)).toEqual(['A=1', 'B=2']);
  });

  it('rejects names with whitespace and empty names, naming the line', () => {
    expect(() => parseEnvFile('OK=1\nA B=2', lookup, 'my.env')).toThrow(
      "invalid env file my.env: line 2: variable 'A B' contains whitespaces",
    );
    expect(() => parseEnvFile('=value', lookup)).toThrow(
      "invalid env file: line 1: no variable name on line '=value'",
    );
    // A bare name with trailing blanks is a name containing whitespace to Docker.
    expect(() => parseEnvFile('NAME  ', lookup)).toThrow(BerthError);
  });
});

describe('expandEnvArgs (-e)', () => {
  it('passes K=V through and resolves or drops a bare K', () => {
    expect(expandEnvArgs(['A=1', 'FROM_CALLER', 'MISSING', 'B=', 'C=a=b'], lookup)).toEqual([
      'A=1',
      'FROM_CALLER=caller value',
      'B=',
      'C=a=b',
    ]);
  });

  it('rejects an empty name', () => {
    expect(() => expandEnvArgs(['=x'], lookup)).toThrow('invalid environment variable: "=x"');
  });
});

describe('mergeEnv', () => {
  it('lets a later list win while keeping the first position', () => {
    expect(mergeEnv(['A=1', 'B=2', 'C=3'], ['B=20', 'D=4'], ['A=100'])).toEqual([
      'A=100',
      'B=20',
      'C=3',
      'D=4',
    ]);
  });
});
