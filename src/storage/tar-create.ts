import {
  type Stats,
  closeSync,
  constants,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { lgetxattr, llistxattr } from '../sys/libc.js';
import { isOverlayOpaque, isOverlayWhiteout } from './overlay-marks.js';
import { debug as logDebug } from '../util/log.js';

/**
 * Makes a tar stream of a directory tree (or of one file): owners, modes, times, xattrs, hard
 * links, devices and fifos, in lexical order with each directory before its children. For a
 * layer made from an overlay upper dir, overlay whiteouts (character device 0:0) become `.wh.`
 * files and opaque directories get a `.wh..wh..opq` entry, as image layers spell them.
 *
 * Nothing below the source is followed: symlinks are archived as symlinks, and files are opened
 * with O_NOFOLLOW. The caller decides what the source is (and resolves it safely) first.
 */

export interface PackOptions {
  /** The file or directory to archive (a symlink is archived as the link itself). */
  path: string;
  /**
   * The source's name in the archive (`dir`, `a/b`); '' puts a directory's contents at the
   * archive root, with no entry for the directory itself.
   */
  name: string;
  /** Convert overlay whiteouts and opaque directories to `.wh.` entries (layers from upper dirs). */
  overlayWhiteouts?: boolean;
  /** Paths below the source (`a/b`) left out of the archive, with whatever is below them. */
  exclude?: ReadonlySet<string>;
  /** Where skipped entries are reported (default: the debug log). */
  debug?: (message: string) => void;
}

/** A header to write; `pax` holds extra PAX records (xattrs). */
type Hdr = Partial<tar.Header> & { name: string; pax?: Record<string, string> };

const CHUNK = 256 * 1024;

/** Pure: is this xattr overlay bookkeeping rather than file metadata? */
export function isOverlayXattr(name: string): boolean {
  return (
    name.startsWith('user.overlay.') ||
    name.startsWith('trusted.overlay.') ||
    name.startsWith('user.fuseoverlayfs.')
  );
}

/** Pure: the archive name of `rel` (a path below the source) under `name`. */
export function archiveName(name: string, rel: string): string {
  if (name === '') return rel;
  return rel === '' ? name : `${name}/${rel}`;
}

/** The xattrs tar can carry as PAX records; binary values would not survive tar-stream's UTF-8. */
function paxXattrs(path: string, log: (m: string) => void): Record<string, string> | undefined {
  let names: string[];
  try {
    names = llistxattr(path);
  } catch {
    return undefined;
  }
  let out: Record<string, string> | undefined;
  for (const n of names) {
    if (isOverlayXattr(n)) continue;
    let v: Buffer | undefined;
    try {
      v = lgetxattr(path, n);
    } catch {
      continue;
    }
    if (v === undefined) continue;
    const s = v.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(v)) {
      log(`tar: ${path}: skipping binary xattr ${n}`);
      continue;
    }
    out ??= {};
    out[`SCHILY.xattr.${n}`] = s;
  }
  return out;
}

class Packer {
  private readonly links = new Map<string, string>();
  private readonly log: (m: string) => void;

  constructor(
    private readonly pack: tar.Pack,
    private readonly opts: PackOptions,
  ) {
    this.log = opts.debug ?? logDebug;
  }

  private header(st: Stats, name: string, type: Hdr['type'], path: string): Hdr {
    const h: Hdr = {
      name,
      type,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      mtime: st.mtime,
      size: 0,
    };
    const pax = paxXattrs(path, this.log);
    if (pax) h.pax = pax;
    return h;
  }

  /** An entry without content; a `file` (an empty whiteout marker) gets its empty body, or tar-stream waits for one. */
  private add(h: Hdr): Promise<void> {
    return new Promise((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (h.type === 'file') this.pack.entry(h, Buffer.alloc(0), cb);
      else this.pack.entry(h, cb);
    });
  }

  async walk(path: string, rel: string): Promise<void> {
    const st = lstatSync(path);
    // A single file packed with name '' keeps its own name.
    const name = archiveName(this.opts.name, rel) || (st.isDirectory() ? '' : basename(path));
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (st.isDirectory()) {
      if (name !== '') await this.add(this.header(st, `${name}/`, 'directory', path));
      if (this.opts.overlayWhiteouts && isOverlayOpaque(path)) {
        await this.add({
          name: archiveName(name, '.wh..wh..opq'),
          type: 'file',
          mode: 0o600,
          size: 0,
          mtime: st.mtime,
        });
      }
      for (const child of readdirSync(path).sort()) {
        const childRel = rel === '' ? child : `${rel}/${child}`;
        if (this.opts.exclude?.has(childRel)) continue;
        await this.walk(join(path, child), childRel);
      }
      return;
    }
    if (isOverlayWhiteout(st) && this.opts.overlayWhiteouts) {
      const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      const wh = archiveName(this.opts.name, dir === '' ? `.wh.${base}` : `${dir}/.wh.${base}`);
      await this.add({ name: wh, type: 'file', mode: 0o600, size: 0, mtime: st.mtime });
      return;
    }
    if (!st.isDirectory() && st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = this.links.get(key);
      if (first !== undefined) {
        await this.add({ ...this.header(st, name, 'link', path), linkname: first });
        return;
      }
      this.links.set(key, name);
    }
    if (st.isFile()) return this.file(path, st, name);
    if (st.isSymbolicLink()) {
      await this.add({ ...this.header(st, name, 'symlink', path), linkname: readlinkSync(path) });
      return;
    }
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      const h = this.header(st, name, st.isCharacterDevice() ? 'character-device' : 'block-device', path);
      // Linux dev_t: major in bits 8-19 (and 32+), minor in bits 0-7 and 20-31.
      h.devmajor = Math.floor(st.rdev / 256) & 0xfff;
      h.devminor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00);
      await this.add(h);
      return;
    }
    if (st.isFIFO()) {
      await this.add(this.header(st, name, 'fifo', path));
      return;
    }
    this.log(`tar: skipping socket ${path}`);
  }

  /**
   * A regular file's content. A running container may change it while we read: the entry
   * keeps the size lstat gave, cut short or padded with zeros, so the archive stays valid.
   */
  private async file(path: string, st: Stats, name: string): Promise<void> {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const size = st.size;
      let entry!: ReturnType<tar.Pack['entry']>;
      const done = new Promise<void>((resolve, reject) => {
        entry = this.pack.entry({ ...this.header(st, name, 'file', path), size }, (err) =>
          err ? reject(err) : resolve(),
        );
      });
      let left = size;
      while (left > 0) {
        const buf = Buffer.alloc(Math.min(CHUNK, left));
        let n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) n = buf.length; // the file shrank: zeros for the rest
        left -= n;
        if (!entry.write(n === buf.length ? buf : buf.subarray(0, n))) {
          await new Promise<void>((resolve) => entry.once('drain', resolve));
        }
      }
      entry.end(() => {});
      await done;
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * A tar stream of `opts.path`. Errors (an unreadable file, a vanished directory) destroy the
 * stream with the error, so a consumer's pipeline fails instead of taking a short archive.
 */
export function packTree(opts: PackOptions): Readable {
  const pack = tar.pack();
  const packer = new Packer(pack, opts);
  packer.walk(opts.path, '').then(
    () => pack.finalize(),
    (e) => pack.destroy(e as Error),
  );
  return pack as unknown as Readable;
}
