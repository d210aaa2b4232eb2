import type { MountSpec } from '../../spec/options.js';
import { BerthError } from '../../util/errors.js';
import type { Container, ContainerEngine } from './common.js';

/**
 * The container's own mounts from `-v`, `--mount` and `--volumes-from`, resolved to binds and
 * tmpfs entries for the spec, with named and anonymous volumes created as needed.
 */
export interface MountRequest {
  volumes: string[];
  mounts: string[];
  volumesFrom: string[];
}

export interface PreparedMounts {
  mounts: MountSpec[];
  /** Volumes made for this container alone (removed by `rm -v`). */
  anonymousVolumes: string[];
  /** Named volumes it uses (a volume in use cannot be removed). */
  namedVolumes: string[];
}

export function emptyMountRequest(): MountRequest {
  return { volumes: [], mounts: [], volumesFrom: [] };
}

export async function prepareMounts(
  _e: ContainerEngine,
  req: MountRequest,
  _ctx: { id: string; rootfs: string; imageVolumes: string[] },
): Promise<PreparedMounts> {
  if (req.volumes.length || req.mounts.length || req.volumesFrom.length) {
    throw new BerthError('volumes and bind mounts (-v, --mount, --volumes-from) are not supported by this build yet');
  }
  return { mounts: [], anonymousVolumes: [], namedVolumes: [] };
}

/** After the container is removed: anonymous volumes go with `rm -v`. */
export async function releaseMounts(_e: ContainerEngine, _rec: Container, _opts: { removeAnonymous: boolean }): Promise<void> {}
