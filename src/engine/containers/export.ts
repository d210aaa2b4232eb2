import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { packTree } from '../../storage/tar-create.js';
import { BerthError, errorMessage, isBerthError } from '../../util/errors.js';
import type { Container, ContainerEngine } from './common.js';
import { withRootfs } from './mount.js';

/**
 * `export`: a tar of the container's whole root filesystem as its processes see it (what its
 * bind mounts cover is not part of it, as with Docker). A stopped container is mounted for it.
 */
export async function exportContainer(
  e: ContainerEngine,
  rec: Container,
  output: string | Writable,
): Promise<void> {
  await withRootfs(e, rec, async (rootfs) => {
    const tar = packTree({ path: rootfs, name: '' });
    if (typeof output !== 'string') {
      await pipeline(tar, output, { end: false });
      return;
    }
    // A failed export leaves no half-written file under the name asked for.
    const tmp = `${output}.berth-${process.pid}.tmp`;
    try {
      await pipeline(tar, createWriteStream(tmp, { mode: 0o644 }));
      await rename(tmp, output);
    } catch (err) {
      await rm(tmp, { force: true });
      if (isBerthError(err)) throw err;
      throw new BerthError(`exporting container ${rec.name} to ${output}: ${errorMessage(err)}`);
    }
  });
}
