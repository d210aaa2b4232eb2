import { Readable } from 'node:stream';

/**
 * A minimal ustar/PAX writer for tests: it writes exactly what it is told (absolute names, `..`,
 * binary PAX values), which is what hostile-layer tests need and general tar libraries refuse.
 */
export interface TarEntry {
  name: string;
  type?: 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';
  data?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extra PAX records, e.g. { 'SCHILY.xattr.user.x': Buffer }. */
  pax?: Record<string, string | Buffer>;
}

const typeflag: Record<NonNullable<TarEntry['type']>, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
};

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, type: string, size: number, e: Partial<TarEntry>): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, 'utf8');
  b.write(octal(e.mode ?? (type === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  b.write(octal(e.uid ?? 0, 8), 108, 'latin1');
  b.write(octal(e.gid ?? 0, 8), 116, 'latin1');
  b.write(octal(size, 12), 124, 'latin1');
  b.write(octal(e.mtime ?? 1_600_000_000, 12), 136, 'latin1');
  b.write('        ', 148, 'latin1');
  b.write(type, 156, 'latin1');
  b.write(e.linkname ?? '', 157, 100, 'utf8');
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  b.write(octal(e.devmajor ?? 0, 8), 329, 'latin1');
  b.write(octal(e.devminor ?? 0, 8), 337, 'latin1');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(octal(sum, 7), 148, 'latin1');
  return b;
}

function pad(data: Buffer): Buffer {
  const rem = data.length % 512;
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rem)]);
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

export function buildTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = typeflag[e.type ?? 'file'];
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const pax: Record<string, string | Buffer> = { ...e.pax };
    let name = e.name;
    if (Buffer.byteLength(name) > 99) {
      pax.path = name;
      name = name.slice(0, 99);
    }
    const keys = Object.keys(pax);
    if (keys.length > 0) {
      const body = Buffer.concat(keys.map((k) => paxRecord(k, Buffer.from(pax[k]))));
      parts.push(header('PaxHeader', 'x', body.length, {}), pad(body));
    }
    parts.push(header(name, type, type === '0' ? data.length : 0, e));
    if (type === '0') parts.push(pad(data));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tarStream(entries: TarEntry[]): Readable {
  return Readable.from([buildTar(entries)]);
}
