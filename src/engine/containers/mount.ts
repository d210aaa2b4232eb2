import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMounted, unmountRootfs } from '../../storage/mount.js';
import { BerthError } from '../../util/errors.js';
import { type Container, type ContainerEngine, mountContainerRootfs, reconcile } from './common.js';
import type { ContainerConfig } from './config.js';

/**
 * A container's root filesystem outside its run: `berth mount` (counted, so two users of one
 * mount do not pull it from under each other) and short mounts for cp, diff, commit and export
 * of stopped containers. A running container's rootfs is mounted already and stays as it is.
 */

function isActive(rec: Container): boolean {
  const s = rec.state.status;
  return s === 'running' || s === 'paused' || s === 'stopping';
}

function countFile(e: ContainerEngine, id: string): string {
  return join(e.containers.paths(id).persist, 'mount-count');
}

/** How many `berth mount`s are outstanding (kept in the runtime dir: a reboot drops mounts too). */
export async function mountCount(e: ContainerEngine, id: string): Promise<number> {
  const n = Number((await readFile(countFile(e, id), 'utf8').catch(() => '0')).trim());
  return Number.isInteger(n) && n > 0 ? n : 0;
}

async function setMountCount(e: ContainerEngine, id: string, n: number): Promise<void> {
  await mkdir(e.containers.paths(id).persist, { recursive: true, mode: 0o700 });
  await writeFile(countFile(e, id), `${n}\n`);
}

async function rootfsMounted(e: ContainerEngine, rec: Container): Promise<boolean> {
  // vfs keeps a copy in place of a mount: populated means "mounted".
  if (rec.driver === 'vfs') return false;
  return isMounted(e.containers.paths(rec.id).rootfs);
}

/** Mounts the container's rootfs unless it is mounted; true when this call mounted it. */
async function ensureRootfs(e: ContainerEngine, rec: Container): Promise<boolean> {
  if (await rootfsMounted(e, rec)) return false;
  await mountContainerRootfs(e, rec);
  return rec.driver !== 'vfs';
}

/**
 * Runs `fn` with the container's mounted rootfs. A stopped container is mounted for the call
 * (under its lock, so it does not start meanwhile) and unmounted after, unless a `berth mount`
 * holds it.
 */
export async function withRootfs<T>(
  e: ContainerEngine,
  rec: Container,
  fn: (rootfs: string) => Promise<T>,
): Promise<T> {
  const rootfs = e.containers.paths(rec.id).rootfs;
  const [fresh] = await reconcile(e, [rec]);
  if (fresh && isActive(fresh) && (rec.driver === 'vfs' || (await rootfsMounted(e, fresh))))
    return fn(rootfs);
  const lock = await e.containers.lock(rec.id);
  let mounted = false;
  try {
    const now = await e.containers.read<ContainerConfig>(rec.id);
    if (!now) throw new BerthError(`no such container: ${rec.name}`, { code: 'not-found' });
    mounted = await ensureRootfs(e, now);
    return await fn(rootfs);
  } finally {
    try {
      if (mounted && (await mountCount(e, rec.id)) === 0) await unmountRootfs(rootfs, rec.driver);
    } finally {
      lock.release();
    }
  }
}

/** `berth mount CTR`: mounts the rootfs if needed, counts the mount, returns its path. */
export async function mountContainer(e: ContainerEngine, rec: Container): Promise<string> {
  const lock = await e.containers.lock(rec.id);
  try {
    const now = await e.containers.read<ContainerConfig>(rec.id);
    if (!now) throw new BerthError(`no such container: ${rec.name}`, { code: 'not-found' });
    await ensureRootfs(e, now);
    await setMountCount(e, rec.id, (await mountCount(e, rec.id)) + 1);
    return e.containers.paths(rec.id).rootfs;
  } finally {
    lock.release();
  }
}

/**
 * `berth unmount CTR`: drops one mount (all of them with `force`); the rootfs is unmounted
 * when none is left and the container is not running. Returns whether it was unmounted.
 */
export async function unmountContainer(e: ContainerEngine, rec: Container, force = false): Promise<boolean> {
  const [fresh] = await reconcile(e, [rec]);
  const lock = await e.containers.lock(rec.id);
  try {
    const count = force ? 0 : Math.max(0, (await mountCount(e, rec.id)) - 1);
    await setMountCount(e, rec.id, count);
    if (count > 0 || (fresh && isActive(fresh))) return false;
    await unmountRootfs(e.containers.paths(rec.id).rootfs, rec.driver);
    return true;
  } finally {
    lock.release();
  }
}
