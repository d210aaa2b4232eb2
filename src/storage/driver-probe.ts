import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../sys/host.js';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';

const run = promisify(execFile);

export const storageDrivers = ['overlay', 'fuse-overlayfs', 'vfs'] as const;
export type StorageDriver = (typeof storageDrivers)[number];

export interface DriverChoice {
  driver: StorageDriver;
  reason: string;
}

/** Tries a real kernel overlay mount (with userxattr when rootless) on the store's filesystem. */
async function kernelOverlayWorks(root: string, rootless: boolean): Promise<string | undefined> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, '.probe-'));
  try {
    const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(dir, d));
    await Promise.all([lower, upper, work, merged].map((d) => mkdir(d)));
    const opts = `lowerdir=${lower},upperdir=${upper},workdir=${work}${rootless ? ',userxattr' : ''}`;
    try {
      await run('mount', ['-t', 'overlay', 'overlay', '-o', opts, merged], { timeout: 5000 });
    } catch (e) {
      return (e as { stderr?: string }).stderr?.trim() || String(e);
    }
    await run('umount', [merged], { timeout: 5000 }).catch(() => undefined);
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function fuseOverlayUsable(): string | undefined {
  if (!findExecutable('fuse-overlayfs')) return 'fuse-overlayfs is not installed';
  try {
    accessSync('/dev/fuse', constants.R_OK | constants.W_OK);
  } catch {
    return '/dev/fuse is not accessible (mode 0666 needed)';
  }
  return undefined;
}

/**
 * Which mount driver the store will use: kernel overlay, else fuse-overlayfs, else vfs.
 * The probe mounts for real, so its answer is cached in the runtime dir (cleared at reboot,
 * which is when the kernel can change).
 */
export async function chooseStorageDriver(opts: {
  root: string;
  runRoot: string;
  rootless: boolean;
  requested?: string;
}): Promise<DriverChoice> {
  if (opts.requested) {
    if (!(storageDrivers as readonly string[]).includes(opts.requested)) {
      throw new BerthError(
        `unknown storage driver "${opts.requested}": must be one of ${storageDrivers.join(', ')}`,
      );
    }
    return { driver: opts.requested as StorageDriver, reason: 'selected with --storage-driver' };
  }
  const cache = join(opts.runRoot, 'storage-driver.json');
  try {
    const cached = JSON.parse(await readFile(cache, 'utf8')) as DriverChoice & { root: string };
    if (cached.root === opts.root && (storageDrivers as readonly string[]).includes(cached.driver)) {
      return { driver: cached.driver, reason: cached.reason };
    }
  } catch {
    // no cache yet
  }
  let choice: DriverChoice;
  const overlayFailure = await kernelOverlayWorks(opts.root, opts.rootless);
  if (!overlayFailure) {
    choice = {
      driver: 'overlay',
      reason: opts.rootless ? 'kernel overlayfs in the user namespace (userxattr)' : 'kernel overlayfs',
    };
  } else {
    debug(`kernel overlay probe failed: ${overlayFailure}`);
    const fuseFailure = fuseOverlayUsable();
    choice = fuseFailure
      ? { driver: 'vfs', reason: `kernel overlay failed (${overlayFailure}); ${fuseFailure}` }
      : { driver: 'fuse-overlayfs', reason: `kernel overlay failed (${overlayFailure})` };
  }
  await mkdir(opts.runRoot, { recursive: true, mode: 0o700 });
  await writeFile(cache, JSON.stringify({ ...choice, root: opts.root })).catch(() => undefined);
  return choice;
}
