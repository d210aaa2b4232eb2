import {
  type Stats,
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  unlinkSync,
  write,
  writeSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { type ErrnoError, S_IFCHR, S_IFBLK, S_IFIFO, lsetxattr, mknod } from '../sys/libc.js';
import { BerthError } from '../util/errors.js';
import { debug as logDebug } from '../util/log.js';

/**
 * Extracts one image layer tar into a directory. The tar is untrusted: nothing is ever written
 * outside `destDir`. Entry paths are resolved lexically, and an entry whose path is absolute,
 * climbs out with `..`, or passes through a symlink (one from this tar or one an earlier layer
 * left in destDir) is refused. Files are opened with O_NOFOLLOW|O_EXCL after whatever was at the
 * path is removed. Docker `.wh.` whiteouts become overlay whiteouts.
 */

export interface ExtractOptions {
  /** 'keep' (default) lchowns to the tar's uid/gid; 'ignore' leaves files owned by us. */
  ownership?: 'keep' | 'ignore';
  /** Overlay xattr namespace: 'user.overlay.' for userxattr mounts (default), or 'trusted.overlay.'. */
  overlayXattrPrefix?: 'user.overlay.' | 'trusted.overlay.';
  /** Where skipped entries and refused xattrs are reported (default: the debug log). */
  debug?: (message: string) => void;
}

export interface ExtractResult {
  /** Bytes of regular file content. */
  size: number;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
// Errors that mean "this filesystem or this namespace will not take that xattr": skip it.
const XATTR_SKIP = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES', 'EINVAL', 'ERANGE', 'E2BIG']);

export function hostile(entry: string, why: string): BerthError {
  return new BerthError(`hostile layer: ${entry}: ${why}`, { code: 'hostile-layer' });
}

/**
 * Pure: an archive path as components below the layer root (`[]` for the root itself), or a
 * hostile-layer error for an absolute path or a `..` that climbs above the root.
 */
export function entryComponents(name: string): string[] {
  if (name.startsWith('/')) throw hostile(name, 'absolute path');
  const out: string[] = [];
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (out.length === 0) throw hostile(name, "'..' leads outside the layer");
      out.pop();
    } else {
      out.push(c);
    }
  }
  return out;
}

interface PaxExtras {
  xattrs: Map<string, Buffer>;
}

/**
 * Pure: the xattrs of a raw PAX extended header. tar-stream decodes PAX values as UTF-8, which
 * mangles binary values such as security.capability, so we read the raw records ourselves.
 */
export function parsePaxXattrs(buf: Buffer): Map<string, Buffer> {
  const xattrs = new Map<string, Buffer>();
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number.parseInt(buf.toString('latin1', pos, space), 10);
    if (!(len > 0) || pos + len > buf.length) break;
    const record = buf.subarray(space + 1, pos + len - 1); // drop the trailing newline
    const eq = record.indexOf(0x3d);
    if (eq > 0) {
      const key = record.toString('utf8', 0, eq);
      const value = record.subarray(eq + 1);
      if (key.startsWith('SCHILY.xattr.')) {
        xattrs.set(key.slice('SCHILY.xattr.'.length), Buffer.from(value));
      } else if (key.startsWith('LIBARCHIVE.xattr.')) {
        xattrs.set(
          decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length)),
          Buffer.from(value.toString(), 'base64'),
        );
      }
    }
    pos += len;
  }
  return xattrs;
}

type TarHeader = Omit<tar.Header, 'pax'> & { pax?: Record<string, string> | null; berthPax?: PaxExtras };

/**
 * Hooks a tar-stream extractor so each entry header carries the raw PAX xattrs (`berthPax`).
 * tar-stream 3 decodes PAX headers in `_decodeLongHeader` and attaches them to the next entry in
 * `_applyLongHeaders`; if those ever change, we fall back to its (UTF-8) `pax` record.
 */
function hookPax(ex: tar.Extract): void {
  const x = ex as unknown as {
    _decodeLongHeader?: (buf: Buffer) => void;
    _applyLongHeaders?: () => void;
    _header: TarHeader | null;
  };
  const decode = x._decodeLongHeader;
  const apply = x._applyLongHeaders;
  if (typeof decode !== 'function' || typeof apply !== 'function') return;
  let pending: PaxExtras | undefined;
  x._decodeLongHeader = function (this: typeof x, buf: Buffer) {
    if ((this._header?.type as string | undefined) === 'pax-header')
      pending = { xattrs: parsePaxXattrs(buf) };
    decode.call(this, buf);
  };
  x._applyLongHeaders = function (this: typeof x) {
    apply.call(this);
    if (this._header) this._header.berthPax = pending;
    pending = undefined;
  };
}

function xattrsOf(h: TarHeader): Map<string, Buffer> {
  if (h.berthPax) return h.berthPax.xattrs;
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(h.pax ?? {})) {
    if (k.startsWith('SCHILY.xattr.')) out.set(k.slice('SCHILY.xattr.'.length), Buffer.from(v, 'utf8'));
  }
  return out;
}

function mtimeOf(h: TarHeader): number {
  const pax = h.pax?.mtime;
  if (pax !== undefined && Number.isFinite(Number(pax))) return Number(pax);
  return (h.mtime?.getTime() ?? 0) / 1000;
}

function atimeOf(h: TarHeader, mtime: number): number {
  const pax = h.pax?.atime;
  return pax !== undefined && Number.isFinite(Number(pax)) ? Number(pax) : mtime;
}

function code(e: unknown): string | undefined {
  return (e as ErrnoError).code;
}

interface DeferredDir {
  path: string;
  mode: number;
  atime: number;
  mtime: number;
}

/**
 * The file system calls are synchronous on purpose: a layer has thousands of small files with
 * about eight calls each, and a round trip through libuv's thread pool costs more than the call
 * itself (a pull spent most of its time in futex wake-ups). Tar parsing waits on them anyway.
 */
const BIG_FILE = 256 * 1024;

function writeAsync(fd: number, buf: Buffer, off: number, len: number): Promise<number> {
  return new Promise((resolve, reject) =>
    write(fd, buf, off, len, null, (e, n) => (e ? reject(e) : resolve(n))),
  );
}

class Extractor {
  size = 0;
  /** Directories known to be real directories (not symlinks) under destDir in this run. */
  private readonly safeDirs = new Set<string>();
  /** Directory modes and times applied at the end, once their children are in place. */
  private deferred: DeferredDir[] = [];
  private readonly keepOwners: boolean;
  private readonly overlay: string;
  private readonly log: (m: string) => void;

  constructor(
    private readonly dest: string,
    opts: ExtractOptions,
  ) {
    this.keepOwners = (opts.ownership ?? 'keep') === 'keep';
    this.overlay = opts.overlayXattrPrefix ?? 'user.overlay.';
    this.log = opts.debug ?? logDebug;
    this.safeDirs.add(dest);
  }

  async entry(h: TarHeader, body: AsyncIterable<Buffer>): Promise<void> {
    const name = h.name;
    const comps = entryComponents(name);
    const type = h.type ?? 'file';
    if (comps.length === 0) {
      if (type === 'directory') await this.dirMeta(this.dest, h);
      else this.log(`layer: skipping ${type} entry ${name} at the layer root`);
      return;
    }
    const base = comps[comps.length - 1];
    const parent = await this.parents(name, comps);
    if (base.startsWith(WHITEOUT_PREFIX)) {
      await this.whiteout(name, parent, base);
      return;
    }
    const path = join(parent, base);
    switch (type) {
      case 'directory':
        return this.directory(path, h);
      case 'file':
      case 'contiguous-file':
        return this.file(path, h, body);
      case 'link':
        return this.hardlink(name, path, h);
      case 'symlink':
        if (!h.linkname) throw hostile(name, 'symlink without a target');
        await this.clear(path, false);
        symlinkSync(h.linkname, path);
        return this.meta(path, h, false);
      case 'character-device':
      case 'block-device':
        return this.device(path, h, type === 'character-device' ? S_IFCHR : S_IFBLK);
      case 'fifo':
        await this.clear(path, false);
        mknod(path, S_IFIFO | 0o600);
        return this.meta(path, h, true);
      default:
        this.log(`layer: skipping ${name}: unsupported tar entry type ${type}`);
    }
  }

  /**
   * Makes sure every parent of the entry is a real directory inside destDir, creating missing
   * ones (0755), and refusing a path that goes through a symlink. Returns the parent's path.
   */
  private async parents(name: string, comps: string[], create = true): Promise<string> {
    let dir = this.dest;
    for (let i = 0; i < comps.length - 1; i++) {
      dir = join(dir, comps[i]);
      if (this.safeDirs.has(dir)) continue;
      const st = lstatSync(dir, { throwIfNoEntry: false });
      if (!st) {
        if (!create) lstatSync(dir); // throws the ENOENT the caller looks for
        mkdirSync(dir, 0o755);
        chmodSync(dir, 0o755); // whatever the umask says
        this.safeDirs.add(dir);
        continue;
      }
      if (st.isSymbolicLink())
        throw hostile(name, `path goes through the symlink ${comps.slice(0, i + 1).join('/')}`);
      if (!st.isDirectory()) {
        throw new BerthError(
          `extracting layer: ${name}: ${comps.slice(0, i + 1).join('/')} is not a directory`,
        );
      }
      this.safeDirs.add(dir);
    }
    return dir;
  }

  /** Removes whatever is at `path` so a new entry can take its place; keeps a directory if `keepDir`. */
  private async clear(path: string, keepDir: boolean): Promise<boolean> {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) return false;
    if (st.isDirectory()) {
      if (keepDir) return true;
      await rm(path, { recursive: true, force: true });
    } else {
      unlinkSync(path);
    }
    this.forget(path);
    return false;
  }

  /** Drops cached knowledge about `path` and everything below it, after it was replaced. */
  private forget(path: string): void {
    const prefix = `${path}/`;
    for (const d of this.safeDirs) if (d === path || d.startsWith(prefix)) this.safeDirs.delete(d);
    this.deferred = this.deferred.filter((d) => d.path !== path && !d.path.startsWith(prefix));
  }

  private async whiteout(name: string, parent: string, base: string): Promise<void> {
    if (base === OPAQUE_MARKER) {
      lsetxattr(parent, `${this.overlay}opaque`, 'y');
      return;
    }
    if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
      this.log(`layer: skipping whiteout metadata entry ${name}`);
      return;
    }
    const hidden = base.slice(WHITEOUT_PREFIX.length);
    if (hidden === '' || hidden === '.' || hidden === '..')
      throw hostile(name, 'whiteout of an invalid name');
    const path = join(parent, hidden);
    await this.clear(path, false);
    try {
      mknod(path, S_IFCHR, 0, 0);
    } catch (e) {
      throw new BerthError(`extracting layer: creating the whiteout for ${name}: ${(e as Error).message}`, {
        cause: e,
        hint: 'overlay whiteouts (character device 0:0) need root or a user namespace',
      });
    }
  }

  private async directory(path: string, h: TarHeader): Promise<void> {
    const existed = await this.clear(path, true);
    if (!existed) mkdirSync(path, 0o700);
    this.safeDirs.add(path);
    await this.dirMeta(path, h);
  }

  private async dirMeta(path: string, h: TarHeader): Promise<void> {
    if (this.keepOwners) lchownSync(path, h.uid ?? 0, h.gid ?? 0);
    this.xattrs(path, h);
    const mtime = mtimeOf(h);
    this.deferred.push({ path, mode: (h.mode ?? 0o755) & 0o7777, mtime, atime: atimeOf(h, mtime) });
  }

  private async file(path: string, h: TarHeader, body: AsyncIterable<Buffer>): Promise<void> {
    await this.clear(path, false);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const fd = openSync(path, flags, 0o600);
    try {
      // Big files' bytes go through the thread pool, so the copying overlaps with parsing
      // (and other layers' extraction) on the main thread.
      const big = (h.size ?? 0) >= BIG_FILE;
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        for (let off = 0; off < buf.length; ) {
          off += big
            ? await writeAsync(fd, buf, off, buf.length - off)
            : writeSync(fd, buf, off, buf.length - off);
        }
        this.size += buf.length;
      }
      // chown clears setuid/setgid and file capabilities: chown, then chmod, then xattrs.
      if (this.keepOwners) fchownSync(fd, h.uid ?? 0, h.gid ?? 0);
      fchmodSync(fd, (h.mode ?? 0o644) & 0o7777);
      this.xattrs(path, h);
      const mtime = mtimeOf(h);
      futimesSync(fd, atimeOf(h, mtime), mtime);
    } finally {
      closeSync(fd);
    }
  }

  private async hardlink(name: string, path: string, h: TarHeader): Promise<void> {
    if (!h.linkname) throw hostile(name, 'hard link without a target');
    let targetComps: string[];
    try {
      targetComps = entryComponents(h.linkname);
    } catch {
      throw hostile(name, `hard link to ${h.linkname} outside the layer`);
    }
    if (targetComps.length === 0) throw hostile(name, 'hard link to the layer root');
    const targetParent = await this.parents(name, targetComps, false).catch((e) => {
      if (code(e) === 'ENOENT')
        throw new BerthError(`extracting layer: ${name}: hard link target ${h.linkname} is missing`);
      throw e;
    });
    const target = join(targetParent, targetComps[targetComps.length - 1]);
    if (target === path) return;
    let st: Stats;
    try {
      st = lstatSync(target);
    } catch (e) {
      if (code(e) === 'ENOENT')
        throw new BerthError(`extracting layer: ${name}: hard link target ${h.linkname} is missing`);
      throw e;
    }
    if (st.isDirectory()) throw hostile(name, `hard link to the directory ${h.linkname}`);
    await this.clear(path, false);
    // link(2) does not follow a symlink target: it links the symlink itself, inside destDir.
    linkSync(target, path);
  }

  private async device(path: string, h: TarHeader, kind: number): Promise<void> {
    await this.clear(path, false);
    try {
      mknod(path, kind | 0o600, h.devmajor ?? 0, h.devminor ?? 0);
    } catch (e) {
      if (code(e) === 'EPERM' || code(e) === 'EACCES') {
        this.log(`layer: skipping device node ${h.name}: ${(e as Error).message}`);
        return;
      }
      throw e;
    }
    await this.meta(path, h, true);
  }

  /** Owner, mode, xattrs and times of a just-created non-directory, non-regular entry. */
  private async meta(path: string, h: TarHeader, setMode: boolean): Promise<void> {
    if (this.keepOwners) lchownSync(path, h.uid ?? 0, h.gid ?? 0);
    if (setMode) chmodSync(path, (h.mode ?? 0o644) & 0o7777);
    this.xattrs(path, h);
    const mtime = mtimeOf(h);
    lutimesSync(path, atimeOf(h, mtime), mtime);
  }

  private xattrs(path: string, h: TarHeader): void {
    for (const [name, value] of xattrsOf(h)) {
      // A layer must not forge overlay metadata (whiteouts, opaque dirs, redirects).
      if (name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.')) {
        this.log(`layer: ${h.name}: dropping overlay xattr ${name}`);
        continue;
      }
      try {
        lsetxattr(path, name, value);
      } catch (e) {
        if (!XATTR_SKIP.has(code(e) ?? '')) throw e;
        this.log(`layer: ${h.name}: skipping xattr ${name}: ${(e as Error).message}`);
      }
    }
  }

  /** Applies directory modes and times, deepest first, now that nothing more is created in them. */
  async finish(): Promise<void> {
    for (let i = this.deferred.length - 1; i >= 0; i--) {
      const d = this.deferred[i];
      const st = lstatSync(d.path, { throwIfNoEntry: false });
      if (!st?.isDirectory()) continue;
      chmodSync(d.path, d.mode);
      lutimesSync(d.path, d.atime, d.mtime);
    }
  }
}

/**
 * Extracts an (uncompressed) layer tar stream into `destDir`, which must exist. Throws a
 * BerthError `hostile layer: <entry>: <why>` for an entry that would write outside destDir.
 */
export async function extractLayer(
  tarStream: Readable,
  destDir: string,
  opts: ExtractOptions = {},
): Promise<ExtractResult> {
  const ex = tar.extract();
  hookPax(ex);
  const x = new Extractor(destDir, opts);
  const feeding = pipeline(tarStream, ex);
  // It may fail while an entry is being written, long before we await it below: without a
  // handler now, Node would call that an unhandled rejection and exit.
  feeding.catch(() => {});
  try {
    for await (const entry of ex) {
      await x.entry(entry.header as TarHeader, entry as AsyncIterable<Buffer>);
      entry.resume(); // drain whatever the handler did not read
    }
  } catch (e) {
    tarStream.destroy();
    ex.destroy();
    await feeding.catch(() => {});
    throw e;
  }
  await feeding;
  await x.finish();
  return { size: x.size };
}
