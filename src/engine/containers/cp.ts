import { closeSync, constants, lstatSync, openSync, readlinkSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, posix, resolve as resolvePath } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompressed } from '../import.js';
import { extractLayer } from '../../storage/extract.js';
import { packTree } from '../../storage/tar-create.js';
import { BerthError, errorMessage, isBerthError } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import type { Container, ContainerEngine } from './common.js';
import { requireContainer } from './common.js';
import { withRootfs } from './mount.js';

/**
 * `cp` between the host and a container, running or stopped. Every path inside the container
 * is resolved inside its root, as Docker's FollowSymlinkInScope does: a symlink to `/` or `..`
 * leads to the container's root, never the host's. The directory written into (or read from) is
 * then opened one component at a time with O_NOFOLLOW and used through /proc/self/fd, so a
 * container that swaps a directory for a symlink meanwhile cannot redirect us; below it the
 * hardened layer extractor refuses anything that climbs out or passes through a symlink.
 */

export interface CpLocation {
  /** Container name or id; undefined for a host path (or `-`). */
  container?: string;
  path: string;
}

export interface CpOptions {
  source: string;
  destination: string;
  /** -a: keep the source's uid/gid (otherwise files belong to the writer: container root or you). */
  archive?: boolean;
  /** -L: follow a symlink at the source. */
  followLink?: boolean;
  /** The tar stream for `cp - CTR:DIR`. */
  stdin?: Readable;
  /** Where `cp CTR:PATH -` writes its tar stream. */
  stdout?: Writable;
}

/** Pure: Docker's split of a cp argument into container and path. */
export function parseCpArg(arg: string): CpLocation {
  if (arg === '-' || arg.startsWith('/')) return { path: arg };
  const i = arg.indexOf(':');
  // `./a:b` and `a` are host paths; `ctr:/path` names a container.
  if (i <= 0 || arg.startsWith('.')) return { path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

export { resolveInScope } from './scope.js';
import { resolveInScope } from './scope.js';

/**
 * Opens a directory of the container (a path resolveInScope returned) one component at a
 * time, never following a symlink; the caller closes the fd. A component that is not a
 * directory (any more) is an error, not a detour.
 */
export function openDirInScope(root: string, resolved: string): number {
  const flags = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
  let fd = openSync(root, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    for (const c of resolved.split('/').filter((x) => x !== '')) {
      const next = openSync(`/proc/self/fd/${fd}/${c}`, flags);
      closeSync(fd);
      fd = next;
    }
    return fd;
  } catch (e) {
    closeSync(fd);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') {
      throw new BerthError(
        `opening ${resolved} in the container: it is not a directory (it changed while we looked?)`,
      );
    }
    throw new BerthError(`opening ${resolved} in the container: ${errorMessage(e)}`);
  }
}

function fdPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

type Kind = 'dir' | 'file' | 'missing';

function kindOf(st: Stats | undefined): Kind {
  if (!st) return 'missing';
  return st.isDirectory() ? 'dir' : 'file';
}

/** Pure: a path argument's trailing `/.` (copy the contents) and trailing slash (must be a directory). */
export function pathShape(p: string): { path: string; contentsOnly: boolean; trailingSlash: boolean } {
  const contentsOnly = p === '.' || p.endsWith('/.');
  const trailingSlash = contentsOnly || p.endsWith('/');
  let path = contentsOnly ? p.slice(0, -1) : p;
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path: path === '' ? '.' : path, contentsOnly, trailingSlash };
}

export interface CopyPlan {
  /** Directory (as given to the planner: container path or host path) the archive is unpacked in. */
  extractDir: string;
  /** The source's name in the archive; '' when its contents go straight into extractDir. */
  name: string;
}

/**
 * Pure: Docker's cp rules. A file onto a missing path becomes that path (its parent must
 * exist); onto a directory goes into it; onto a file replaces it. A directory onto a missing
 * path becomes it; onto a directory goes into it, or with `/.` only its contents do.
 */
export function planCopy(
  src: { kind: 'dir' | 'file'; name: string; contentsOnly: boolean },
  dest: { path: string; kind: Kind; trailingSlash: boolean; parentIsDir: boolean },
): CopyPlan {
  const dirOf = posix.dirname;
  const baseOf = posix.basename;
  if (dest.kind === 'dir') {
    if (src.kind === 'dir' && src.contentsOnly) return { extractDir: dest.path, name: '' };
    return { extractDir: dest.path, name: src.name };
  }
  if (dest.kind === 'file') {
    if (src.kind === 'dir') throw new BerthError(`cannot copy a directory to the file ${dest.path}`);
    if (dest.trailingSlash) throw new BerthError(`${dest.path} is not a directory`);
    return { extractDir: dirOf(dest.path), name: baseOf(dest.path) };
  }
  if (src.kind === 'file' && dest.trailingSlash) {
    throw new BerthError(`the destination directory ${dest.path} must exist`);
  }
  if (!dest.parentIsDir) {
    throw new BerthError(`the parent directory of ${dest.path} does not exist (or is not a directory)`);
  }
  return { extractDir: dirOf(dest.path), name: baseOf(dest.path) };
}

function notFoundIn(path: string, rec: Container): BerthError {
  return new BerthError(`could not find the file ${path} in container ${rec.name}`, { code: 'not-found' });
}

/** The extractor speaks of layers; for cp say what was refused. */
function extractFailure(where: string, e: unknown): never {
  if (isBerthError(e) && e.code === 'hostile-layer') {
    throw new BerthError(`copying into ${where}: refused: ${e.message.replace(/^hostile layer: /, '')}`, {
      code: 'hostile-archive',
    });
  }
  if (isBerthError(e)) throw e;
  throw new BerthError(`copying into ${where}: ${errorMessage(e)}`, { cause: e });
}

function containerPath(rec: Container, p: string): string {
  return p.startsWith('/') ? p : posix.join(rec.config?.workdir || '/', p);
}

/** Host or `-` -> container. */
async function copyIn(
  e: ContainerEngine,
  rec: Container,
  src: string,
  destArg: string,
  opts: CpOptions,
): Promise<void> {
  const dshape = pathShape(containerPath(rec, destArg));
  await withRootfs(e, rec, async (root) => {
    const resolved = resolveInScope(root, dshape.path, true);
    const destKind = kindOf(lstatSync(`${root}${resolved}`, { throwIfNoEntry: false }));
    const where = `${rec.name}:${destArg}`;
    if (src === '-') {
      if (destKind !== 'dir')
        throw new BerthError(`copying to ${where}: the destination must be a directory when the source is -`);
      if (!opts.stdin) throw new BerthError('copying from -: no input stream');
      const fd = openDirInScope(root, resolved);
      try {
        const input = decompressed(opts.stdin);
        await extractLayer(input, fdPath(fd), { ownership: opts.archive ? 'keep' : 'ignore', debug }).catch(
          (err) => extractFailure(where, err),
        );
      } finally {
        closeSync(fd);
      }
      return;
    }
    const sshape = pathShape(src);
    let hostSrc = resolvePath(sshape.path);
    let st: Stats;
    try {
      st = opts.followLink || sshape.trailingSlash ? await stat(hostSrc) : lstatSync(hostSrc);
      if (opts.followLink) hostSrc = await realpath(hostSrc);
    } catch (err) {
      throw new BerthError(`copying ${src}: ${errorMessage(err)}`, { code: 'not-found' });
    }
    const srcKind = st.isDirectory() ? 'dir' : 'file';
    if (srcKind === 'file' && sshape.trailingSlash) throw new BerthError(`copying ${src}: not a directory`);
    const parentSt = lstatSync(`${root}${posix.dirname(resolved)}`, { throwIfNoEntry: false });
    const plan = planCopy(
      { kind: srcKind, name: basename(resolvePath(sshape.path)), contentsOnly: sshape.contentsOnly },
      {
        path: resolved,
        kind: destKind,
        trailingSlash: dshape.trailingSlash,
        parentIsDir: !!parentSt?.isDirectory(),
      },
    );
    const fd = openDirInScope(root, plan.extractDir);
    try {
      const packed = packTree({ path: hostSrc, name: plan.name, debug });
      await extractLayer(packed, fdPath(fd), { ownership: opts.archive ? 'keep' : 'ignore', debug }).catch(
        (err) => extractFailure(where, err),
      );
    } finally {
      closeSync(fd);
    }
  });
}

/** Container -> host or `-`. */
async function copyOut(
  e: ContainerEngine,
  rec: Container,
  srcArg: string,
  dest: string,
  opts: CpOptions,
): Promise<void> {
  const sshape = pathShape(containerPath(rec, srcArg));
  await withRootfs(e, rec, async (root) => {
    const resolved = resolveInScope(root, sshape.path, !!opts.followLink || sshape.trailingSlash);
    const st = lstatSync(`${root}${resolved}`, { throwIfNoEntry: false });
    if (!st) throw notFoundIn(srcArg, rec);
    const srcKind = st.isDirectory() ? 'dir' : 'file';
    if (srcKind === 'file' && sshape.trailingSlash)
      throw new BerthError(`copying ${rec.name}:${srcArg}: not a directory`);
    const srcName = sshape.path === '/' ? '' : posix.basename(sshape.path);
    const parentFd = openDirInScope(root, resolved === '/' ? '/' : posix.dirname(resolved));
    try {
      const hostSrc = resolved === '/' ? fdPath(parentFd) : `${fdPath(parentFd)}/${posix.basename(resolved)}`;
      if (dest === '-') {
        if (!opts.stdout) throw new BerthError('copying to -: no output stream');
        const name = sshape.contentsOnly || srcName === '' ? '' : srcName;
        await pipeline(packTree({ path: hostSrc, name, debug }), opts.stdout, { end: false });
        return;
      }
      const dshape = pathShape(dest);
      const hostDest = resolvePath(dshape.path);
      const destSt = await stat(hostDest).catch(() => undefined);
      const parentSt = await stat(dirname(hostDest)).catch(() => undefined);
      const plan = planCopy(
        {
          kind: srcKind,
          name: srcName || basename(hostDest),
          contentsOnly: sshape.contentsOnly || srcName === '',
        },
        {
          path: hostDest,
          kind: kindOf(destSt),
          trailingSlash: dshape.trailingSlash,
          parentIsDir: !!parentSt?.isDirectory(),
        },
      );
      const packed = packTree({ path: hostSrc, name: plan.name, debug });
      await extractLayer(packed, plan.extractDir, {
        ownership: opts.archive ? 'keep' : 'ignore',
        debug,
      }).catch((err) => extractFailure(dest, err));
    } finally {
      closeSync(parentFd);
    }
  });
}

/** `cp SRC DEST` where exactly one side names a container. */
export async function copy(e: ContainerEngine, opts: CpOptions): Promise<void> {
  const src = parseCpArg(opts.source);
  const dst = parseCpArg(opts.destination);
  if (src.container && dst.container) throw new BerthError('copying between containers is not supported');
  if (!src.container && !dst.container) {
    throw new BerthError('copying: one of the paths must name a container (CONTAINER:PATH)');
  }
  if (src.container) {
    if (src.path === '') throw new BerthError('copying: the container path must not be empty');
    const rec = await requireContainer(e, src.container);
    return copyOut(e, rec, src.path, dst.path, opts);
  }
  const rec = await requireContainer(e, dst.container!);
  if (dst.path === '') throw new BerthError('copying: the container path must not be empty');
  return copyIn(e, rec, src.path, dst.path, opts);
}
