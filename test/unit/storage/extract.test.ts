import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decompressAuto, decompressStream } from '../../../src/storage/compression.js';
import { entryComponents, extractLayer, parsePaxXattrs } from '../../../src/storage/extract.js';
import { lgetxattr, llistxattr } from '../../../src/sys/libc.js';
import { buildTar, type TarEntry, tarStream } from './tar-builder.js';

const isRoot = process.getuid!() === 0;
let work: string;
let dest: string;
let outside: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'berth-extract-'));
  dest = join(work, 'diff');
  outside = join(work, 'outside');
  mkdirSync(dest);
  mkdirSync(outside);
});
afterEach(() => {
  // Layers may hold read-only directories: make them writable so a non-root run can clean up.
  execFileSync('chmod', ['-R', 'u+rwx', work]);
  rmSync(work, { recursive: true, force: true });
});

const quiet = { debug: () => {} };
const extract = (entries: TarEntry[], opts = {}) =>
  extractLayer(tarStream(entries), dest, { ownership: isRoot ? 'keep' : 'ignore', ...quiet, ...opts });

describe('entryComponents', () => {
  it('normalises relative paths and refuses escapes', () => {
    expect(entryComponents('./a/b/')).toEqual(['a', 'b']);
    expect(entryComponents('a/../b')).toEqual(['b']);
    expect(entryComponents('./')).toEqual([]);
    expect(() => entryComponents('../x')).toThrow(/hostile layer: \.\.\/x/);
    expect(() => entryComponents('a/../../x')).toThrow(/hostile layer/);
    expect(() => entryComponents('/etc/x')).toThrow(/absolute path/);
  });
});

describe('extractLayer', () => {
  it('writes files, directories, symlinks, modes and mtimes', async () => {
    const { size } = await extract([
      { name: 'bin/', type: 'dir', mode: 0o755, mtime: 1_500_000_000 },
      { name: 'bin/su', data: 'suid', mode: 0o4755, mtime: 1_500_000_001 },
      { name: 'bin/sg', data: 'sgid!', mode: 0o2711 },
      { name: 'tmp/', type: 'dir', mode: 0o1777, mtime: 1_500_000_002 },
      { name: 'deep/er/file', data: 'x', mode: 0o600 },
      { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', mtime: 1_500_000_003 },
      { name: 'ro/', type: 'dir', mode: 0o555 },
      { name: 'ro/inside', data: 'y' },
    ]);
    expect(size).toBe(4 + 5 + 1 + 1);
    expect(readFileSync(join(dest, 'bin/su'), 'utf8')).toBe('suid');
    expect(statSync(join(dest, 'bin/su')).mode & 0o7777).toBe(0o4755);
    expect(statSync(join(dest, 'bin/sg')).mode & 0o7777).toBe(0o2711);
    expect(statSync(join(dest, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(statSync(join(dest, 'deep')).mode & 0o7777).toBe(0o755);
    expect(statSync(join(dest, 'deep/er/file')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(dest, 'ro')).mode & 0o7777).toBe(0o555);
    expect(statSync(join(dest, 'bin/su')).mtimeMs).toBe(1_500_000_001_000);
    // Directory times survive the files created in them afterwards.
    expect(statSync(join(dest, 'bin')).mtimeMs).toBe(1_500_000_000_000);
    expect(statSync(join(dest, 'tmp')).mtimeMs).toBe(1_500_000_002_000);
    expect(readlinkSync(join(dest, 'bin/sh'))).toBe('/bin/busybox');
    expect(lstatSync(join(dest, 'bin/sh')).mtimeMs).toBe(1_500_000_003_000);
  });

  it('keeps hard links as one inode', async () => {
    await extract([
      { name: 'a', data: 'shared' },
      { name: 'dir/b', type: 'link', linkname: 'a' },
      { name: 'c', type: 'link', linkname: './a' },
    ]);
    const ino = statSync(join(dest, 'a')).ino;
    expect(statSync(join(dest, 'dir/b')).ino).toBe(ino);
    expect(statSync(join(dest, 'c')).ino).toBe(ino);
    expect(statSync(join(dest, 'a')).nlink).toBe(3);
  });

  it('sets xattrs from PAX records, binary values intact, and drops forged overlay ones', async () => {
    const value = Buffer.from([0x01, 0x00, 0x80, 0xff, 0x7f]);
    await extract([
      {
        name: 'f',
        data: 'x',
        pax: { 'SCHILY.xattr.user.test': value, 'SCHILY.xattr.user.overlay.opaque': 'y' },
      },
    ]);
    expect(lgetxattr(join(dest, 'f'), 'user.test')).toEqual(value);
    expect(llistxattr(join(dest, 'f'))).not.toContain('user.overlay.opaque');
  });

  it.skipIf(!isRoot)('sets security.capability and owners (root)', async () => {
    // VFS_CAP_REVISION_2, CAP_SETUID (bit 7 -> 0x80) and CAP_NET_BIND_SERVICE (bit 10) permitted.
    const cap = Buffer.from([0, 0, 0, 2, 0x80, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await extract([
      {
        name: 'ping',
        data: 'bin',
        mode: 0o755,
        uid: 1234,
        gid: 5678,
        pax: { 'SCHILY.xattr.security.capability': cap },
      },
      { name: 'owned/', type: 'dir', uid: 42, gid: 43 },
      { name: 'ln', type: 'symlink', linkname: 'ping', uid: 7, gid: 8 },
    ]);
    const st = statSync(join(dest, 'ping'));
    expect([st.uid, st.gid]).toEqual([1234, 5678]);
    expect(lgetxattr(join(dest, 'ping'), 'security.capability')).toEqual(cap);
    expect(statSync(join(dest, 'owned')).uid).toBe(42);
    expect(lstatSync(join(dest, 'ln')).uid).toBe(7);
  });

  it.skipIf(!isRoot)('creates device nodes and fifos (root)', async () => {
    await extract([
      { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'dev/loop', type: 'block', devmajor: 7, devminor: 0, mode: 0o660 },
      { name: 'run/fifo', type: 'fifo', mode: 0o620 },
    ]);
    const cst = statSync(join(dest, 'dev/null'));
    expect(cst.isCharacterDevice()).toBe(true);
    expect(cst.rdev).toBe(1 * 256 + 3);
    expect(cst.mode & 0o7777).toBe(0o666);
    expect(statSync(join(dest, 'dev/loop')).isBlockDevice()).toBe(true);
    expect(statSync(join(dest, 'run/fifo')).isFIFO()).toBe(true);
    expect(statSync(join(dest, 'run/fifo')).mode & 0o7777).toBe(0o620);
  });

  it('replaces what is in the way: file over dir, dir over file, file over symlink', async () => {
    mkdirSync(join(dest, 'was-dir/sub'), { recursive: true });
    writeFileSync(join(dest, 'was-dir/sub/f'), 'old');
    writeFileSync(join(dest, 'was-file'), 'old');
    symlinkSync(join(outside, 'target'), join(dest, 'was-link'));
    await extract([
      { name: 'was-dir', data: 'now a file' },
      { name: 'was-file/', type: 'dir' },
      { name: 'was-file/in', data: 'z' },
      { name: 'was-link', data: 'not through the link' },
    ]);
    expect(readFileSync(join(dest, 'was-dir'), 'utf8')).toBe('now a file');
    expect(statSync(join(dest, 'was-file')).isDirectory()).toBe(true);
    expect(lstatSync(join(dest, 'was-link')).isFile()).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
  });

  it.skipIf(!isRoot)(
    'turns .wh. entries into overlay whiteouts (char 0:0) (root or user namespace)',
    async () => {
      writeFileSync(join(dest, 'gone'), 'lower copy');
      await extract([
        { name: 'gone', type: 'file', data: 'this layer' },
        { name: '.wh.gone' },
        { name: 'etc/.wh.passwd' },
      ]);
      for (const p of ['gone', 'etc/passwd']) {
        const st = lstatSync(join(dest, p));
        expect(st.isCharacterDevice()).toBe(true);
        expect(st.rdev).toBe(0);
      }
      expect(existsSync(join(dest, '.wh.gone'))).toBe(false);
    },
  );

  it('marks opaque directories with the overlay xattr, prefix configurable', async () => {
    await extract([
      { name: 'opq/', type: 'dir' },
      { name: 'opq/.wh..wh..opq' },
      { name: 'opq/kept', data: 'k' },
    ]);
    expect(lgetxattr(join(dest, 'opq'), 'user.overlay.opaque')?.toString()).toBe('y');
    expect(existsSync(join(dest, 'opq/.wh..wh..opq'))).toBe(false);
    if (isRoot) {
      await extract([{ name: 'opq2/.wh..wh..opq' }], { overlayXattrPrefix: 'trusted.overlay.' });
      expect(lgetxattr(join(dest, 'opq2'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    }
  });

  describe('hostile layers', () => {
    const cases: [string, TarEntry[]][] = [
      ['dot-dot', [{ name: '../outside/x', data: 'evil' }]],
      ['nested dot-dot', [{ name: 'a/../../outside/x', data: 'evil' }]],
      ['absolute', [{ name: '/etc/berth-evil', data: 'evil' }]],
      [
        'symlink to an absolute dir, then write through it',
        [
          { name: 'a', type: 'symlink', linkname: '' },
          { name: 'a/x', data: 'evil' },
        ],
      ],
      [
        'symlink to .., then write through it',
        [
          { name: 'b/up', type: 'symlink', linkname: '../..' },
          { name: 'b/up/outside/x', data: 'evil' },
        ],
      ],
      [
        'symlink to ., then a dir through it',
        [
          { name: 'self', type: 'symlink', linkname: '.' },
          { name: 'self/d/', type: 'dir' },
        ],
      ],
      ['hard link to an absolute path', [{ name: 'pw', type: 'link', linkname: '/etc/passwd' }]],
      ['hard link climbing out', [{ name: 'pw', type: 'link', linkname: '../outside/target' }]],
      [
        'hard link through a symlink',
        [
          { name: 'l', type: 'symlink', linkname: '' },
          { name: 'pw', type: 'link', linkname: 'l/target' },
        ],
      ],
      [
        'whiteout through a symlink',
        [{ name: 'w', type: 'symlink', linkname: '' }, { name: 'w/.wh.target' }],
      ],
    ];
    for (const [what, entries] of cases) {
      it(`refuses ${what}`, async () => {
        writeFileSync(join(outside, 'target'), 'precious');
        const fixed = entries.map((e) =>
          e.type === 'symlink' && e.linkname === '' ? { ...e, linkname: outside } : e,
        );
        await expect(extract(fixed)).rejects.toThrow(/^hostile layer: /);
        expect(readdirSync(outside)).toEqual(['target']);
        expect(readFileSync(join(outside, 'target'), 'utf8')).toBe('precious');
        expect(existsSync('/etc/berth-evil')).toBe(false);
      });
    }

    it('refuses a write through a symlink an earlier layer left in destDir', async () => {
      await extract([
        { name: 'usr/', type: 'dir' },
        { name: 'usr/evil', type: 'symlink', linkname: outside },
      ]);
      await expect(extract([{ name: 'usr/evil/x', data: 'evil' }])).rejects.toThrow(
        /hostile layer: usr\/evil\/x: path goes through the symlink usr\/evil/,
      );
      expect(readdirSync(outside)).toEqual([]);
    });

    it('allows a symlink to be replaced by a directory and then used', async () => {
      await extract([
        { name: 'd', type: 'symlink', linkname: outside },
        { name: 'd/', type: 'dir' },
        { name: 'd/x', data: 'inside' },
      ]);
      expect(readFileSync(join(dest, 'd/x'), 'utf8')).toBe('inside');
      expect(readdirSync(outside)).toEqual([]);
    });

    it('does not chmod through a directory later replaced by a symlink', async () => {
      writeFileSync(join(outside, 'keep'), 'x');
      const before = statSync(outside).mode & 0o7777;
      await extract([
        { name: 'p/', type: 'dir' },
        { name: 'p/q/', type: 'dir', mode: 0o777 },
        { name: 'p', type: 'symlink', linkname: join(outside, '..') },
      ]);
      expect(statSync(outside).mode & 0o7777).toBe(before);
      expect(lstatSync(join(dest, 'p')).isSymbolicLink()).toBe(true);
    });
  });
});

describe('parsePaxXattrs', () => {
  it('reads binary values byte for byte', () => {
    const value = Buffer.from([0xc3, 0x28, 0x00, 0x0a]);
    const tar = buildTar([{ name: 'f', data: '', pax: { 'SCHILY.xattr.user.b': value, mtime: '1.5' } }]);
    const size = Number.parseInt(tar.toString('latin1', 124, 135), 8);
    const got = parsePaxXattrs(tar.subarray(512, 512 + size));
    expect(got.get('user.b')).toEqual(value);
    expect([...got.keys()]).toEqual(['user.b']);
  });
});

describe('decompression', () => {
  const tar = buildTar([{ name: 'hello', data: 'hello world' }]);
  // A zstd frame holding one raw block: magic, single-segment header with a 2-byte size, block.
  function zstdRaw(data: Buffer): Buffer {
    const fhd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x60]);
    const fcs = Buffer.alloc(2);
    fcs.writeUInt16LE(data.length - 256);
    const bh = (data.length << 3) | 1;
    return Buffer.concat([fhd, fcs, Buffer.from([bh & 0xff, (bh >> 8) & 0xff, (bh >> 16) & 0xff]), data]);
  }

  for (const [mediaType, bytes] of [
    ['application/vnd.oci.image.layer.v1.tar+gzip', () => gzipSync(tar)],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', () => gzipSync(tar)],
    ['application/vnd.oci.image.layer.v1.tar+zstd', () => zstdRaw(tar)],
    ['application/vnd.oci.image.layer.v1.tar', () => tar],
  ] as const) {
    it(`extracts ${mediaType}`, async () => {
      await extractLayer(Readable.from([bytes()]).pipe(decompressStream(mediaType)), dest, {
        ownership: 'ignore',
      });
      expect(readFileSync(join(dest, 'hello'), 'utf8')).toBe('hello world');
    });
    it(`sniffs ${mediaType}`, async () => {
      await extractLayer(Readable.from([bytes()]).pipe(decompressAuto()), dest, { ownership: 'ignore' });
      expect(readFileSync(join(dest, 'hello'), 'utf8')).toBe('hello world');
    });
  }

  it('fails on a corrupt gzip stream', async () => {
    const bad = gzipSync(tar);
    bad[bad.length - 6] ^= 0xff;
    await expect(
      extractLayer(
        Readable.from([bad]).pipe(decompressStream('application/vnd.oci.image.layer.v1.tar+gzip')),
        dest,
      ),
    ).rejects.toThrow();
  });
});
