import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractLayer } from '../../../src/storage/extract.js';
import { S_IFCHR, lsetxattr, mknod } from '../../../src/sys/libc.js';
import { archiveName, isOverlayXattr, packTree } from '../../../src/storage/tar-create.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-tar-create-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function entries(
  stream: NodeJS.ReadableStream,
): Promise<{ name: string; type: string; linkname?: string; size: number; mode: number }[]> {
  const ex = tar.extract();
  const out: { name: string; type: string; linkname?: string; size: number; mode: number }[] = [];
  const done = (async () => {
    for await (const e of ex) {
      out.push({
        name: e.header.name,
        type: e.header.type,
        linkname: e.header.linkname || undefined,
        size: e.header.size,
        mode: e.header.mode,
      });
      e.resume();
    }
  })();
  await Promise.all([pipeline(stream as unknown as Readable, ex), done]);
  return out;
}

function tree(root: string): void {
  mkdirSync(join(root, 'a/b'), { recursive: true });
  writeFileSync(join(root, 'a/b/file.txt'), 'hello\n');
  chmodSync(join(root, 'a/b/file.txt'), 0o640);
  writeFileSync(join(root, 'z.txt'), 'z'.repeat(300_000));
  linkSync(join(root, 'z.txt'), join(root, 'a/hard.txt'));
  symlinkSync('../z.txt', join(root, 'a/link'));
  utimesSync(join(root, 'a/b/file.txt'), 1_000_000, 1_000_000);
}

describe('archiveName', () => {
  it('puts paths under the source name, or at the root for ""', () => {
    expect(archiveName('', 'a/b')).toBe('a/b');
    expect(archiveName('dir', '')).toBe('dir');
    expect(archiveName('dir', 'a')).toBe('dir/a');
  });
  it('knows overlay bookkeeping xattrs', () => {
    expect(isOverlayXattr('user.overlay.opaque')).toBe(true);
    expect(isOverlayXattr('trusted.overlay.redirect')).toBe(true);
    expect(isOverlayXattr('user.mime_type')).toBe(false);
  });
});

describe('packTree', () => {
  it('archives a tree in lexical order, directories first, with hard links and symlinks', async () => {
    const src = join(dir, 'src');
    tree(src);
    const list = await entries(packTree({ path: src, name: 'top' }));
    expect(list.map((e) => `${e.type} ${e.name}`)).toEqual([
      'directory top/',
      'directory top/a/',
      'directory top/a/b/',
      'file top/a/b/file.txt',
      'file top/a/hard.txt',
      'symlink top/a/link',
      'link top/z.txt',
    ]);
    expect(list.find((e) => e.name === 'top/z.txt')?.linkname).toBe('top/a/hard.txt');
    expect(list.find((e) => e.name === 'top/a/b/file.txt')?.mode).toBe(0o640);
  });

  it('with name "" archives the contents only, and a single file keeps its own name', async () => {
    const src = join(dir, 'src');
    tree(src);
    const names = (await entries(packTree({ path: src, name: '' }))).map((e) => e.name);
    expect(names[0]).toBe('a/');
    expect(names).not.toContain('/');
    const one = await entries(packTree({ path: join(src, 'a/b/file.txt'), name: '' }));
    expect(one.map((e) => e.name)).toEqual(['file.txt']);
    const renamed = await entries(packTree({ path: join(src, 'a/b/file.txt'), name: 'other' }));
    expect(renamed.map((e) => e.name)).toEqual(['other']);
  });

  it('leaves out excluded paths and what is below them', async () => {
    const src = join(dir, 'src');
    tree(src);
    const names = (await entries(packTree({ path: src, name: '', exclude: new Set(['a/b']) }))).map(
      (e) => e.name,
    );
    expect(names.some((n) => n.startsWith('a/b'))).toBe(false);
    expect(names).toContain('a/link');
  });

  it('round-trips through the extractor: content, modes, times, links', async () => {
    const src = join(dir, 'src');
    const dst = join(dir, 'dst');
    tree(src);
    mkdirSync(dst);
    await extractLayer(packTree({ path: src, name: '' }) as never, dst, { ownership: 'ignore' });
    expect(readFileSync(join(dst, 'a/b/file.txt'), 'utf8')).toBe('hello\n');
    expect(lstatSync(join(dst, 'a/b/file.txt')).mode & 0o7777).toBe(0o640);
    expect(lstatSync(join(dst, 'a/b/file.txt')).mtimeMs).toBe(1_000_000_000);
    expect(readFileSync(join(dst, 'z.txt'), 'utf8')).toBe('z'.repeat(300_000));
    expect(lstatSync(join(dst, 'z.txt')).ino).toBe(lstatSync(join(dst, 'a/hard.txt')).ino);
    expect(readlinkSync(join(dst, 'a/link'))).toBe('../z.txt');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'writes overlay whiteouts and opaque dirs as .wh. entries for layers',
    async () => {
      const up = join(dir, 'upper');
      mkdirSync(join(up, 'etc'), { recursive: true });
      mkdirSync(join(up, 'opq'));
      mknod(join(up, 'etc/gone'), S_IFCHR, 0, 0);
      lsetxattr(join(up, 'opq'), 'trusted.overlay.opaque', 'y');
      lsetxattr(join(up, 'etc'), 'user.note', 'kept');
      const list = await entries(packTree({ path: up, name: '', overlayWhiteouts: true }));
      expect(list.map((e) => `${e.type} ${e.name}`)).toEqual([
        'directory etc/',
        'file etc/.wh.gone',
        'directory opq/',
        'file opq/.wh..wh..opq',
      ]);
      // Without the conversion a whiteout is the device it is.
      const raw = await entries(packTree({ path: up, name: '' }));
      expect(raw.map((e) => e.type)).toContain('character-device');
    },
  );

  it('fails the stream when the source is missing', async () => {
    await expect(entries(packTree({ path: join(dir, 'nope'), name: 'x' }))).rejects.toThrow(/ENOENT/);
  });
});
