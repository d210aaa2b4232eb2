import { processRunning } from '../../sys/proc.js';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { detectRuntime } from '../../runtime/detect.js';
import { parseExitFile } from '../../runtime/monitor-protocol.js';
import { OciRuntime } from '../../runtime/oci-runtime.js';
import { type ContainerRecord, type ContainerStore, openContainerStore } from '../../storage/containers.js';
import { chooseStorageDriver, type StorageDriver } from '../../storage/driver-probe.js';
import { mountRootfs, unmountRootfs } from '../../storage/mount.js';
import { openStore, type Store } from '../../storage/store.js';
import { BerthError, errorMessage } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import { trace } from '../../util/trace.js';
import type { EngineContext } from '../context.js';
import type { ContainerConfig } from './config.js';
import { stopNetwork } from './network.js';

export type Container = ContainerRecord<ContainerConfig>;

/** What container operations work with; opened once per command. */
export interface ContainerEngine {
  ctx: EngineContext;
  containers: ContainerStore;
  runtime: OciRuntime;
  images(): Promise<Store>;
  driver(): Promise<StorageDriver>;
}

export async function openContainerEngine(ctx: EngineContext): Promise<ContainerEngine> {
  const containers = await openContainerStore(ctx.paths.root, ctx.paths.runRoot);
  let images: Promise<Store> | undefined;
  let driver: Promise<StorageDriver> | undefined;
  return {
    ctx,
    containers,
    runtime: new OciRuntime(detectRuntime(), containers.runtimeRoot()),
    images: () => (images ??= openStore(ctx.paths.root)),
    driver: () =>
      (driver ??= chooseStorageDriver({
        root: ctx.paths.root,
        runRoot: ctx.paths.runRoot,
        rootless: ctx.identity.rootless,
        requested: ctx.storageDriver,
      }).then((c) => c.driver)),
  };
}

export function noSuchContainer(name: string): BerthError {
  return new BerthError(`no such container: ${name}`, { code: 'not-found' });
}

export async function requireContainer(e: ContainerEngine, nameOrId: string): Promise<Container> {
  const rec = await e.containers.find<ContainerConfig>(nameOrId);
  if (!rec || (rec.incomplete && !e.containers.isAbandoned(rec))) throw noSuchContainer(nameOrId);
  return rec;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function monitorAlive(pid: number | undefined): boolean {
  return pid !== undefined && processRunning(pid, 'berth-monitor');
}

/** The exit the monitor recorded, if it has. */
export async function readExit(
  e: ContainerEngine,
  id: string,
): Promise<{ code: number; at: Date; oom: boolean } | undefined> {
  const p = e.containers.paths(id);
  try {
    const [text, st] = await Promise.all([readFile(p.exitFile, 'utf8'), stat(p.exitFile)]);
    return { code: parseExitFile(text), at: st.mtime, oom: await exists(join(p.persist, 'oom')) };
  } catch {
    return undefined;
  }
}

/**
 * No daemon watches containers, so every command first catches up: a running container whose
 * monitor recorded an exit is exited; one whose monitor is gone (a reboot cleared the runtime
 * dir, or it was killed) is exited too. Records abandoned half-made are left for removal.
 */
export async function reconcile(e: ContainerEngine, recs?: Container[]): Promise<Container[]> {
  const all = recs ?? (await e.containers.list<ContainerConfig>());
  const removed = new Set<string>();
  for (const rec of all) {
    if (rec.state.status !== 'running' && rec.state.status !== 'stopping' && rec.state.status !== 'paused')
      continue;
    const exit = await readExit(e, rec.id);
    if (!exit && monitorAlive(rec.state.monitorPid)) continue;
    const lock = await e.containers.lock(rec.id, 10_000).catch(() => undefined);
    if (!lock) continue;
    try {
      const fresh = await e.containers.read<ContainerConfig>(rec.id);
      if (
        !fresh ||
        (fresh.state.status !== 'running' &&
          fresh.state.status !== 'stopping' &&
          fresh.state.status !== 'paused')
      ) {
        if (fresh) Object.assign(rec, fresh);
        continue;
      }
      const ex = exit ?? (await readExit(e, rec.id));
      markExited(fresh, ex);
      if ((await finishExited(e, fresh)) === 'removed') removed.add(rec.id);
      Object.assign(rec, fresh);
    } finally {
      lock.release();
    }
  }
  return all.filter((r) => !removed.has(r.id));
}

export function markExited(rec: Container, exit: { code: number; at: Date; oom: boolean } | undefined): void {
  rec.state.status = 'exited';
  rec.state.exitCode = exit ? exit.code : -1;
  rec.state.oomKilled = exit?.oom ?? false;
  rec.state.finishedAt = (exit?.at ?? new Date()).toISOString();
  rec.state.pid = 0;
  rec.state.monitorPid = undefined;
}

/** Mounts a container's rootfs: its image's layers under its own writable upper dir. */
export async function mountContainerRootfs(e: ContainerEngine, rec: Container): Promise<void> {
  const p = e.containers.paths(rec.id);
  const store = await e.images();
  await mountRootfs({
    driver: rec.driver,
    storeRoot: e.ctx.paths.root,
    lowerDirs: await store.layerDiffPaths([...rec.layers].reverse()),
    upperDir: p.upper,
    workDir: p.work,
    target: p.rootfs,
    rootless: e.ctx.identity.rootless,
  });
}

/** After an exit: forget it in the runtime, unmount, and honour --rm. Idempotent. */
export async function finishExited(e: ContainerEngine, rec: Container): Promise<'removed' | 'kept'> {
  const p = e.containers.paths(rec.id);
  // `berth mount` holds the rootfs mounted past the container's exit (see mount.ts's count).
  const held = Number((await readFile(join(p.persist, 'mount-count'), 'utf8').catch(() => '0')).trim()) > 0;
  // Independent: the runtime forgets its state while we unmount.
  await Promise.all([
    stopNetwork(e, rec)
      .catch((err) => debug(`network teardown ${rec.id}: ${errorMessage(err)}`))
      .then(() => trace('cleanup: network down')),
    e.runtime
      .delete(rec.id, true)
      .catch((err) => debug(`runtime delete ${rec.id}: ${errorMessage(err)}`))
      .then(() => trace('cleanup: runtime state deleted')),
    held && !rec.config.autoRemove
      ? undefined
      : unmountRootfs(p.rootfs, rec.driver)
          .catch((err) => debug(`unmount ${rec.id}: ${errorMessage(err)}`))
          .then(() => trace('cleanup: unmounted')),
  ]);
  if (rec.config.autoRemove) {
    await e.containers.removeFiles(rec.id, rec.name);
    trace('cleanup: files removed');
    // --rm takes the container's anonymous volumes along, as Docker's does.
    if (rec.config.anonymousVolumes?.length) {
      const { releaseMounts } = await import('./mounts.js');
      await releaseMounts(e, rec, { removeAnonymous: true }).catch((err) =>
        debug(`volumes of ${rec.id}: ${errorMessage(err)}`),
      );
    }
    return 'removed';
  }
  await e.containers.write(rec);
  return 'kept';
}
