import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unmountRootfs } from '../../storage/mount.js';
import { BerthError, errorMessage } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import { type ContainerEngine, monitorAlive } from './common.js';
import type { ContainerConfig } from './config.js';
import { releaseMounts } from './mounts.js';
import { stopNetwork } from './network.js';

/**
 * Removes a container whatever state it (or a killed berth process) left it in: the runtime's
 * container, the monitor, the mount, the files and the name. Safe to repeat.
 */
export async function removeContainer(
  e: ContainerEngine,
  id: string,
  opts: { force?: boolean; volumes?: boolean },
): Promise<void> {
  const lock = await e.containers.lock(id);
  try {
    const rec = await e.containers.read<ContainerConfig>(id);
    if (!rec) return;
    const p = e.containers.paths(id);
    const live =
      rec.state.status === 'running' || rec.state.status === 'paused' || rec.state.status === 'stopping';
    const abandoned = e.containers.isAbandoned(rec);
    if (rec.incomplete && !abandoned) {
      throw new BerthError(`container ${rec.name} is being created by another process`, { code: 'conflict' });
    }
    if (live && !opts.force) {
      const runtime = await e.runtime.state(id);
      if (runtime && (runtime.status === 'running' || runtime.status === 'paused')) {
        throw new BerthError(
          `cannot remove container ${id.slice(0, 12)} as it is ${runtime.status} - running or paused containers cannot be removed without force`,
          { code: 'conflict', hint: 'stop the container first, or use rm -f' },
        );
      }
    }
    rec.state.status = 'removing';
    await e.containers.write(rec);
    // The runtime may still know the container even when our record says otherwise (a killed
    // run -d can leave it created or running): always ask it to forget.
    await e.runtime.kill(id, 'SIGKILL').catch(() => false);
    await e.runtime.delete(id, true);
    const monitorPid = Number(await readFile(join(p.persist, 'monitor.pid'), 'utf8').catch(() => '0'));
    if (monitorAlive(monitorPid)) {
      // The monitor ends by itself once the container is gone; wait briefly so nothing lingers.
      for (let i = 0; i < 100 && monitorAlive(monitorPid); i++) await new Promise((r) => setTimeout(r, 20));
      if (monitorAlive(monitorPid)) {
        try {
          process.kill(monitorPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await stopNetwork(e, rec).catch((err) => debug(`network teardown ${id}: ${errorMessage(err)}`));
    await unmountRootfs(p.rootfs, rec.driver).catch((err) => {
      throw new BerthError(`removing container ${id.slice(0, 12)}: ${errorMessage(err)}`);
    });
    await e.containers.removeFiles(id, rec.name);
    if (rec.config) await releaseMounts(e, rec, { removeAnonymous: !!opts.volumes });
    debug(`removed container ${id}`);
  } finally {
    lock.release();
  }
}
