import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable, tabwrite } from '../../../src/cli/output/tabwriter.js';

describe('tabwrite (Go text/tabwriter)', () => {
  const dots = { minwidth: 8, padding: 1, padchar: '.' };

  it('pads each column to its widest cell plus padding, at least minwidth', () => {
    // Go's tabwriter_test.go case "1a".
    expect(tabwrite('a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', dots)).toBe(
      'a.......b.......c\naa......bbb.....cccc\naaa.....bbbb\n',
    );
  });

  it('treats cells as tab-terminated: columns are blocks of consecutive lines', () => {
    // The example of the tabwriter docs: the b and c columns are distinct blocks.
    const opts = { minwidth: 0, padding: 1, padchar: '.' };
    expect(tabwrite('aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n', opts)).toBe(
      'aaaa.bbb.d\naa...b...dd\na....\naa...cccc.eee\n',
    );
  });

  it('passes through lines without tabs and keeps a missing final newline', () => {
    expect(tabwrite('\n\n\n', dots)).toBe('\n\n\n');
    expect(tabwrite('x\ty', dots)).toBe('x.......y');
    expect(tabwrite('', dots)).toBe('');
  });

  it('pads an empty trailing column cell (a row ending in a tab)', () => {
    expect(tabwrite('a\t\nb\t\n', dots)).toBe('a.......\nb.......\n');
  });

  it('measures wide characters as two columns', () => {
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(tabwrite('日本\tx\nab\ty\n', { minwidth: 0, padding: 1, padchar: ' ' })).toBe('日本 x\nab   y\n');
  });
});

describe('renderTable (Docker: minwidth 10, padding 3)', () => {
  it('lines up like docker images', () => {
    expect(
      renderTable([
        ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'],
        ['busybox', 'latest', '1234567890ab', '2 weeks ago', '4.26MB'],
      ]),
    ).toBe(
      'REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n' +
        'busybox      latest    1234567890ab   2 weeks ago   4.26MB\n',
    );
  });

  it('never pads the last cell, and keeps short columns at 10', () => {
    expect(
      renderTable([
        ['A', 'B'],
        ['x', 'a very long last cell'],
      ]),
    ).toBe('A         B\nx         a very long last cell\n');
    expect(renderTable([])).toBe('');
  });
});
