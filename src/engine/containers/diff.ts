import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isOverlayOpaque, isOverlayWhiteout } from '../../storage/overlay-marks.js';
import { BerthError } from '../../util/errors.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';

/**
 * `diff`: what a container changed, read from its overlay upper dir. Whiteouts are deletions;
 * an entry that exists in the image is changed (a directory only when its mode or time
 * differs), anything else is added; the parent of an added or deleted entry is listed as
 * changed. An opaque directory (removed and made again) is changed, and what the image had
 * in it is deleted. Order as Docker's: a depth-first walk in byte order.
 */

export type ChangeKind = 'A' | 'C' | 'D';

export interface Change {
  kind: ChangeKind;
  /** Absolute path inside the container. */
  path: string;
}

function lst(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The entry at `rel` as the image layers show it (top layer first), or undefined. */
function inLowers(lowers: readonly string[], rel: string): Stats | undefined {
  for (const l of lowers) {
    const st = lst(join(l, rel));
    if (!st) continue;
    return isOverlayWhiteout(st) ? undefined : st;
  }
  return undefined;
}

/** The names the image layers show in directory `rel` (whiteouts applied, opaque dirs honoured). */
function lowerNames(lowers: readonly string[], rel: string): Set<string> {
  const seen = new Set<string>();
  const gone = new Set<string>();
  for (const l of lowers) {
    const dir = join(l, rel);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (seen.has(n) || gone.has(n)) continue;
      const st = lst(join(dir, n));
      if (st && isOverlayWhiteout(st)) gone.add(n);
      else seen.add(n);
    }
    if (isOverlayOpaque(dir)) break;
  }
  return seen;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The runtime makes the destinations of the container's mounts (/proc, /sys, /dev, /etc/hosts,
 * volume paths) in the upper dir when the image lacks them: empty files and directories that
 * are the container's plumbing, not its changes (Docker keeps them in a separate init layer).
 * Returns them as paths relative to the upper dir.
 */
export function mountpointLeftovers(
  upper: string,
  lowers: readonly string[],
  destinations: readonly string[],
): Set<string> {
  const out = new Set<string>();
  for (const d of destinations) {
    const rel = posix.normalize(`/${d}`).slice(1);
    if (rel === '' || inLowers(lowers, rel)) continue;
    const st = lst(join(upper, rel));
    if (!st) continue;
    const empty = st.isDirectory()
      ? readdirSync(join(upper, rel)).length === 0
      : st.isFile() && st.size === 0;
    if (empty) out.add(rel);
  }
  return out;
}

/** Mount destinations of the container's OCI spec (empty if the bundle is gone). */
export async function specMountDestinations(e: ContainerEngine, rec: Container): Promise<string[]> {
  try {
    const spec = JSON.parse(
      await readFile(join(e.containers.paths(rec.id).bundle, 'config.json'), 'utf8'),
    ) as {
      mounts?: { destination?: unknown }[];
    };
    return (spec.mounts ?? []).map((m) => m.destination).filter((d): d is string => typeof d === 'string');
  } catch {
    return [];
  }
}

/**
 * The changes of an overlay upper dir over its lower dirs (top layer first), leaving out the
 * paths (relative to upper) in `exclude`.
 */
export function upperChanges(
  upper: string,
  lowers: readonly string[],
  exclude: ReadonlySet<string> = new Set(),
): Change[] {
  const out: Change[] = [];
  const changedDirs = new Set<string>();
  const record = (kind: ChangeKind, path: string) => {
    if (kind !== 'C') {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      if (parent !== '/' && !changedDirs.has(parent)) {
        out.push({ kind: 'C', path: parent });
        changedDirs.add(parent);
      }
    }
    out.push({ kind, path });
  };
  const walk = (rel: string) => {
    const dir = join(upper, rel);
    const names = new Set(readdirSync(dir));
    const deleted = new Set<string>();
    if (rel !== '' && isOverlayOpaque(dir)) {
      for (const n of lowerNames(lowers, rel)) if (!names.has(n)) deleted.add(n);
    }
    for (const name of [...names, ...deleted].sort(byteOrder)) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const path = `/${childRel}`;
      if (exclude.has(childRel)) continue;
      if (deleted.has(name)) {
        record('D', path);
        continue;
      }
      const st = lst(join(upper, childRel));
      if (!st) continue;
      if (isOverlayWhiteout(st)) {
        record('D', path);
        continue;
      }
      const lower = inLowers(lowers, childRel);
      let kind: ChangeKind | undefined = lower ? 'C' : 'A';
      if (lower && st.isDirectory() && lower.isDirectory()) {
        const same =
          (st.mode & 0o7777) === (lower.mode & 0o7777) &&
          Math.trunc(st.mtimeMs) === Math.trunc(lower.mtimeMs);
        if (same && !isOverlayOpaque(join(upper, childRel))) kind = undefined;
      }
      if (kind) {
        record(kind, path);
        if (st.isDirectory()) changedDirs.add(path);
      }
      if (st.isDirectory()) walk(childRel);
    }
  };
  walk('');
  return out;
}

/** `diff CTR`. */
export async function containerChanges(e: ContainerEngine, rec: Container): Promise<Change[]> {
  await reconcile(e, [rec]);
  if (rec.driver === 'vfs') {
    throw new BerthError(`diff of container ${rec.name}: not supported with the vfs storage driver`, {
      hint: 'use the overlay or fuse-overlayfs driver',
    });
  }
  const store = await e.images();
  const lowers = await store.layerDiffPaths([...rec.layers].reverse());
  const upper = e.containers.paths(rec.id).upper;
  return upperChanges(upper, lowers, mountpointLeftovers(upper, lowers, await specMountDestinations(e, rec)));
}
