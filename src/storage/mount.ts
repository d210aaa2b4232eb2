import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { MNT_DETACH, mount, umount2 } from '../sys/libc.js';
import { isOverlayOpaque, isOverlayWhiteout } from './overlay-marks.js';
import { BerthError, errorMessage } from '../util/errors.js';
import { debug } from '../util/log.js';
import type { StorageDriver } from './driver-probe.js';

const run = promisify(execFile);

export interface RootfsMount {
  driver: StorageDriver;
  /** The store root: lowerdirs are given relative to it (`l/<short>`) so the option stays short. */
  storeRoot: string;
  /** Absolute `l/<short>` paths of the image's layers, top layer first. */
  lowerDirs: string[];
  /** Writable layer and overlay work dir; absent for a read-only image mount. */
  upperDir?: string;
  workDir?: string;
  target: string;
  rootless: boolean;
}

/** The page limit for mount(2) data. */
const MAX_MOUNT_DATA = 4095;

/** Pure: the overlay mount option string, with lowerdirs relative to the store root. */
export function overlayOptions(m: RootfsMount, emptyDir?: string): string {
  const lowers = m.lowerDirs.map((d) => relative(m.storeRoot, d));
  // The kernel wants two lowerdirs when there is no upperdir; an empty one does no harm.
  if (!m.upperDir && lowers.length === 1 && emptyDir) lowers.push(relative(m.storeRoot, emptyDir));
  let opts = `lowerdir=${lowers.join(':')}`;
  if (m.upperDir) opts += `,upperdir=${m.upperDir},workdir=${m.workDir}`;
  if (m.rootless) opts += ',userxattr';
  return opts;
}

async function withCwd<T>(dir: string, fn: () => Promise<T> | T): Promise<T> {
  const old = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(old);
  }
}

/** Mounts a container's (or an image's) root filesystem with the chosen driver. */
export async function mountRootfs(m: RootfsMount): Promise<void> {
  if (m.lowerDirs.length === 0) throw new BerthError('mounting rootfs: the image has no layers');
  await mkdir(m.target, { recursive: true });
  if (m.upperDir) await mkdir(m.upperDir, { recursive: true });
  if (m.workDir) await mkdir(m.workDir, { recursive: true });
  const emptyDir = join(m.storeRoot, 'empty');
  await mkdir(emptyDir, { recursive: true });
  switch (m.driver) {
    case 'overlay': {
      const data = overlayOptions(m, emptyDir);
      if (data.length > MAX_MOUNT_DATA) {
        throw new BerthError(
          `mounting ${m.target}: ${m.lowerDirs.length} layers make the overlay options too long`,
        );
      }
      await withCwd(m.storeRoot, () => {
        try {
          mount('overlay', m.target, 'overlay', 0, data);
        } catch (e) {
          throw new BerthError(`mounting overlay at ${m.target}: ${errorMessage(e)}`, {
            hint: 'try --storage-driver fuse-overlayfs or vfs',
          });
        }
      });
      return;
    }
    case 'fuse-overlayfs': {
      const data = overlayOptions({ ...m, rootless: false }, emptyDir);
      await withCwd(m.storeRoot, async () => {
        try {
          await run('fuse-overlayfs', ['-o', data, m.target], { cwd: m.storeRoot, timeout: 20_000 });
        } catch (e) {
          const stderr = (e as { stderr?: string }).stderr?.trim();
          throw new BerthError(`mounting fuse-overlayfs at ${m.target}: ${stderr || errorMessage(e)}`);
        }
      });
      return;
    }
    case 'vfs':
      await copyLayers(m);
      return;
  }
}

/** Applies one layer's whiteouts and opaque dirs to the copy made so far. */
async function applyWhiteouts(layerDir: string, target: string, rel = ''): Promise<void> {
  for (const entry of await readdir(join(layerDir, rel), { withFileTypes: true })) {
    const relPath = join(rel, entry.name);
    const src = join(layerDir, relPath);
    if (entry.isCharacterDevice() && isOverlayWhiteout(await lstat(src))) {
      await rm(join(target, relPath), { recursive: true, force: true });
    } else if (entry.isDirectory()) {
      await applyWhiteouts(layerDir, target, relPath);
    }
  }
}

async function clearOpaqueDirs(layerDir: string, target: string, rel = ''): Promise<void> {
  for (const entry of await readdir(join(layerDir, rel), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const relPath = join(rel, entry.name);
    if (isOverlayOpaque(join(layerDir, relPath))) {
      await rm(join(target, relPath), { recursive: true, force: true });
    } else {
      await clearOpaqueDirs(layerDir, target, relPath);
    }
  }
}

/** The vfs driver: a full copy of the layers, bottom first, with whiteouts applied. */
async function copyLayers(m: RootfsMount): Promise<void> {
  if ((await readdir(m.target)).length > 0) return; // already populated: vfs copies persist
  for (const layer of [...m.lowerDirs].reverse()) {
    await clearOpaqueDirs(layer, m.target);
    try {
      await run('cp', ['-a', '--no-dereference', `${layer}/.`, `${m.target}/`], { timeout: 600_000 });
    } catch (e) {
      throw new BerthError(
        `copying layer ${layer}: ${(e as { stderr?: string }).stderr?.trim() || errorMessage(e)}`,
      );
    }
    await applyWhiteouts(layer, m.target);
  }
}

/** Undoes mountRootfs; a target that is not mounted is fine (cleanup runs after crashes too). */
export async function unmountRootfs(target: string, driver: StorageDriver): Promise<void> {
  if (driver === 'vfs') return;
  try {
    umount2(target, MNT_DETACH);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOENT') return; // not mounted
    throw new BerthError(`unmounting ${target}: ${errorMessage(e)}`);
  }
  debug(`unmounted ${target}`);
}

/** Is something mounted exactly at `target` (in this mount namespace)? */
export async function isMounted(target: string): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const esc = target.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return info.split('\n').some((l) => l.split(' ')[4] === esc);
}
