import { BerthError } from '../../util/errors.js';
import type { Container, ContainerEngine } from './common.js';
import type { ContainerConfig } from './config.js';

/** Gives a container a new name; the old one is free at once. Docker's leading `/` is allowed. */
export async function renameContainer(e: ContainerEngine, rec: Container, newName: string): Promise<void> {
  const to = newName.startsWith('/') ? newName.slice(1) : newName;
  if (to === '') throw new BerthError('renaming container: the new name is empty');
  const lock = await e.containers.lock(rec.id);
  try {
    const fresh = await e.containers.read<ContainerConfig>(rec.id);
    if (!fresh || fresh.state.status === 'removing')
      throw new BerthError(`no such container: ${rec.name}`, { code: 'not-found' });
    if (fresh.name === to) {
      throw new BerthError(`renaming container ${fresh.name}: the new name is the same as the current one`, {
        code: 'conflict',
      });
    }
    await e.containers.rename(fresh.id, fresh.name, to);
  } finally {
    lock.release();
  }
}
