import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';

/**
 * libc calls Node lacks, through koffi. koffi and libc are loaded on the first call, never at
 * import: loading them costs tens of milliseconds that most berth commands do not need.
 * Failing calls throw an Error shaped like Node's own (`code` 'EPERM', `errno`, `syscall`), so
 * callers handle them the same way as fs errors.
 */

type Koffi = typeof KoffiModule;
type Fn = ReturnType<KoffiModule.LibraryHandle['func']>;

interface Libc {
  koffi: Koffi;
  errnoNames: Map<number, string>;
  flock: Fn;
  mknod: Fn;
  lsetxattr: Fn;
  lgetxattr: Fn;
  llistxattr: Fn;
  lremovexattr: Fn;
  mount: Fn;
  umount2: Fn;
  strerror: Fn;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  const errnoNames = new Map<number, string>();
  for (const [name, value] of Object.entries(koffi.os.errno)) {
    // EAGAIN and EWOULDBLOCK share a number; keep the first (Node reports EAGAIN too).
    if (!errnoNames.has(value)) errnoNames.set(value, name);
  }
  libc = {
    koffi,
    errnoNames,
    flock: lib.func('int flock(int fd, int operation)'),
    mknod: lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    lsetxattr: lib.func(
      'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
    ),
    lgetxattr: lib.func('intptr_t lgetxattr(const char *path, const char *name, void *value, size_t size)'),
    llistxattr: lib.func('intptr_t llistxattr(const char *path, void *list, size_t size)'),
    lremovexattr: lib.func('int lremovexattr(const char *path, const char *name)'),
    mount: lib.func(
      'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
    ),
    umount2: lib.func('int umount2(const char *target, int flags)'),
    strerror: lib.func('const char *strerror(int errnum)'),
  };
  return libc;
}

export interface ErrnoError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

function fail(l: Libc, syscall: string, path?: string): never {
  const errno = l.koffi.errno();
  const code = l.errnoNames.get(errno) ?? `E${errno}`;
  const text = String(l.strerror(errno));
  const err = new Error(
    `${code}: ${text}, ${syscall}${path === undefined ? '' : ` '${path}'`}`,
  ) as ErrnoError;
  err.code = code;
  err.errno = errno;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  return err as never;
}

function check(l: Libc, rc: number | bigint, syscall: string, path?: string): number {
  const n = Number(rc);
  if (n < 0) throw fail(l, syscall, path);
  return n;
}

// flock(2)
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

/** flock(2). With LOCK_NB a held lock throws code 'EAGAIN' (EWOULDBLOCK). */
export function flock(fd: number, operation: number): void {
  const l = load();
  check(l, l.flock(fd, operation), 'flock');
}

/** flock(2) with LOCK_NB: true when taken, false when another open file holds it. */
export function tryFlock(fd: number, operation: number): boolean {
  const l = load();
  const rc = l.flock(fd, operation | LOCK_NB) as number;
  if (rc === 0) return true;
  const errno = l.koffi.errno();
  if (errno === l.koffi.os.errno.EWOULDBLOCK || errno === l.koffi.os.errno.EAGAIN) return false;
  throw fail(l, 'flock');
}

// File types for mknod(2).
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;

/** glibc's makedev(3): the 64-bit dev_t layout. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return (mi & 0xffn) | ((ma & 0xfffn) << 8n) | ((mi & ~0xffn) << 12n) | ((ma & ~0xfffn) << 32n);
}

/** mknod(2): `mode` includes the file type (S_IFCHR, S_IFBLK, S_IFIFO) and permission bits. */
export function mknod(path: string, mode: number, major = 0, minor = 0): void {
  const l = load();
  check(l, l.mknod(path, mode, makedev(major, minor)), 'mknod', path);
}

/** lsetxattr(2) on the link itself, never following a symlink. */
export function lsetxattr(path: string, name: string, value: Buffer | string, flags = 0): void {
  const l = load();
  const buf = typeof value === 'string' ? Buffer.from(value) : value;
  check(l, l.lsetxattr(path, name, buf, buf.length, flags), 'lsetxattr', path);
}

/** lgetxattr(2): the value, or undefined when the attribute is absent (ENODATA). */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  const l = load();
  for (;;) {
    const size = Number(l.lgetxattr(path, name, null, 0));
    if (size < 0) {
      if (l.koffi.errno() === l.koffi.os.errno.ENODATA) return undefined;
      throw fail(l, 'lgetxattr', path);
    }
    const buf = Buffer.alloc(size);
    const got = Number(l.lgetxattr(path, name, buf, size));
    if (got >= 0) return buf.subarray(0, got);
    // The value grew between the two calls: ask again.
    if (l.koffi.errno() !== l.koffi.os.errno.ERANGE) throw fail(l, 'lgetxattr', path);
  }
}

/** llistxattr(2): the attribute names of the link itself. */
export function llistxattr(path: string): string[] {
  const l = load();
  for (;;) {
    const size = check(l, l.llistxattr(path, null, 0), 'llistxattr', path);
    if (size === 0) return [];
    const buf = Buffer.alloc(size);
    const got = Number(l.llistxattr(path, buf, size));
    if (got >= 0) {
      return buf
        .subarray(0, got)
        .toString('latin1')
        .split('\0')
        .filter((n) => n !== '')
        .map((n) => Buffer.from(n, 'latin1').toString('utf8'));
    }
    if (l.koffi.errno() !== l.koffi.os.errno.ERANGE) throw fail(l, 'llistxattr', path);
  }
}

/** lremovexattr(2). */
export function lremovexattr(path: string, name: string): void {
  const l = load();
  check(l, l.lremovexattr(path, name), 'lremovexattr', path);
}

// mount(2) flags.
export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_REMOUNT = 32;
export const MS_BIND = 4096;
export const MS_REC = 16384;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;

/** mount(2). */
export function mount(
  source: string | null,
  target: string,
  fstype: string | null,
  flags: number,
  data?: string,
): void {
  const l = load();
  check(l, l.mount(source, target, fstype, flags, data ?? null), 'mount', target);
}

// umount2(2) flags.
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;
export const UMOUNT_NOFOLLOW = 8;

/** umount2(2). */
export function umount2(target: string, flags = 0): void {
  const l = load();
  check(l, l.umount2(target, flags), 'umount2', target);
}
