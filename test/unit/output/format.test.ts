import { describe, expect, it } from 'vitest';
import { formatOutput } from '../../../src/cli/output/format.js';

const rows = [
  { ID: 'f00dfeedbeef', Image: 'busybox', Command: '"sh"', Names: 'web', Labels: { app: '<a>' } },
  {
    ID: '0123456789ab',
    Image: 'registry.local/very/long/image:tag',
    Command: '"nginx -g"',
    Names: 'x',
    Labels: {},
  },
];
const defaultTableFormat = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Names}}';
const headers = { ID: 'CONTAINER ID' };

describe('formatOutput', () => {
  it('prints the default table with Docker alignment', () => {
    expect(formatOutput({ rows, defaultTableFormat, headers })).toBe(
      'CONTAINER ID   IMAGE                                COMMAND      NAMES\n' +
        'f00dfeedbeef   busybox                              "sh"         web\n' +
        '0123456789ab   registry.local/very/long/image:tag   "nginx -g"   x\n',
    );
    expect(formatOutput({ format: 'table', rows, defaultTableFormat, headers })).toBe(
      formatOutput({ rows, defaultTableFormat, headers }),
    );
  });

  it('prints only the header when there are no rows', () => {
    expect(formatOutput({ rows: [], defaultTableFormat, headers })).toBe(
      'CONTAINER ID   IMAGE     COMMAND   NAMES\n',
    );
  });

  it('renders a user table, with typed \\t', () => {
    expect(formatOutput({ format: 'table {{.Names}}\\t{{.ID}}', rows, defaultTableFormat, headers })).toBe(
      'NAMES     CONTAINER ID\nweb       f00dfeedbeef\nx         0123456789ab\n',
    );
  });

  it('renders any other template once per row', () => {
    expect(formatOutput({ format: '{{.Names}}: {{.Image}}', rows, defaultTableFormat })).toBe(
      'web: busybox\nx: registry.local/very/long/image:tag\n',
    );
    expect(formatOutput({ format: '{{.Names}}', rows: [], defaultTableFormat })).toBe('');
  });

  it('prints {{json .}} as one compact object per line', () => {
    expect(formatOutput({ format: '{{json .}}', rows, defaultTableFormat })).toBe(
      '{"ID":"f00dfeedbeef","Image":"busybox","Command":"\\"sh\\"","Names":"web","Labels":{"app":"<a>"}}\n' +
        '{"ID":"0123456789ab","Image":"registry.local/very/long/image:tag","Command":"\\"nginx -g\\"","Names":"x","Labels":{}}\n',
    );
  });

  it('prints json as an indented array, as Podman does', () => {
    expect(formatOutput({ format: 'json', rows: rows.slice(0, 1), defaultTableFormat })).toBe(
      '[\n    {\n        "ID": "f00dfeedbeef",\n        "Image": "busybox",\n        "Command": "\\"sh\\"",\n' +
        '        "Names": "web",\n        "Labels": {\n            "app": "\\u003ca\\u003e"\n        }\n    }\n]\n',
    );
    expect(formatOutput({ format: 'json', rows: [], defaultTableFormat })).toBe('[]\n');
  });

  it('prints IDs only when quiet, unless the user gave a template', () => {
    expect(formatOutput({ rows, defaultTableFormat, quiet: true })).toBe('f00dfeedbeef\n0123456789ab\n');
    expect(formatOutput({ rows, defaultTableFormat, quiet: true, quietField: 'Names' })).toBe('web\nx\n');
    expect(formatOutput({ format: '{{.Names}}', rows, defaultTableFormat, quiet: true })).toBe('web\nx\n');
  });

  it('fails with a BerthError for bad templates', () => {
    expect(() => formatOutput({ format: '{{.Nope}}', rows, defaultTableFormat })).toThrow(
      "can't evaluate field Nope in type struct",
    );
    expect(() => formatOutput({ format: '{{.ID', rows, defaultTableFormat })).toThrow(
      'template: :1: unclosed action',
    );
  });
});
