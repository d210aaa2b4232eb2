import { BerthError } from '../../util/errors.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';
import type { ContainerConfig } from './config.js';

/**
 * pause/unpause through the runtime's freezer. Rootless on cgroup v1 the container has no
 * freezer cgroup of its own, so the runtime refuses; its error is passed on as it is.
 */
export async function pauseContainer(e: ContainerEngine, rec: Container, pause: boolean): Promise<void> {
  await reconcile(e, [rec]);
  const lock = await e.containers.lock(rec.id);
  try {
    const fresh = await e.containers.read<ContainerConfig>(rec.id);
    if (!fresh) throw new BerthError(`no such container: ${rec.name}`, { code: 'not-found' });
    const short = fresh.id.slice(0, 12);
    if (pause) {
      if (fresh.state.status === 'paused')
        throw new BerthError(`container ${short} is already paused`, { code: 'conflict' });
      if (fresh.state.status !== 'running')
        throw new BerthError(`container ${short} is not running`, { code: 'conflict' });
      await e.runtime.pause(fresh.id);
      fresh.state.status = 'paused';
    } else {
      if (fresh.state.status !== 'paused')
        throw new BerthError(`container ${short} is not paused`, { code: 'conflict' });
      await e.runtime.resume(fresh.id);
      fresh.state.status = 'running';
    }
    await e.containers.write(fresh);
  } finally {
    lock.release();
  }
}
