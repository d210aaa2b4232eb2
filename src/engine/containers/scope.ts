import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { BerthError, errorMessage } from '../../util/errors.js';

/** Paths of a container resolved inside its root: shared by cp, exec and volume copy-up. */

const MAX_LINKS = 255;

function scopeError(path: string, why: string): BerthError {
  return new BerthError(`resolving ${path} in the container: ${why}`);
}

/**
 * A container path with every symlink resolved inside `root`, as an absolute path inside the
 * container (`/a/b`). Absolute link targets restart at the container root; `..` never climbs
 * above it; missing components are kept as they are. With `followFinal` false a symlink at the
 * end is left unresolved (cp copies the link itself).
 */
export function resolveInScope(root: string, path: string, followFinal = true): string {
  const clean = posix.normalize(`/${path}`);
  if (!followFinal && clean !== '/') {
    const parent = resolveInScope(root, posix.dirname(clean), true);
    return posix.join(parent, posix.basename(clean));
  }
  const queue = clean.split('/').filter((c) => c !== '' && c !== '.');
  const out: string[] = [];
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '.' || c === '') continue;
    if (c === '..') {
      out.pop();
      continue;
    }
    const host = `${root}/${[...out, c].join('/')}`;
    let st: Stats | undefined;
    try {
      st = lstatSync(host, { throwIfNoEntry: false });
    } catch (e) {
      throw scopeError(path, errorMessage(e));
    }
    if (!st?.isSymbolicLink()) {
      out.push(c);
      continue;
    }
    if (++links > MAX_LINKS) throw scopeError(path, 'too many levels of symbolic links');
    const target = readlinkSync(host);
    if (target.startsWith('/')) out.length = 0;
    queue.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
  }
  return `/${out.join('/')}`;
}
