import type { ImageConfig } from '../../image/image-config.js';
import { MediaType, parseManifest } from '../../image/manifest.js';
import { packTree } from '../../storage/tar-create.js';
import { BerthError, errorMessage } from '../../util/errors.js';
import { warn } from '../../util/log.js';
import { readConfig } from '../images.js';
import {
  applyChanges,
  discardLayer,
  imageNameFor,
  type LayerDescriptor,
  type RunConfig,
  storeImage,
  storeLayerFromTar,
} from '../import.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';
import { mountpointLeftovers, specMountDestinations } from './diff.js';
import { pauseContainer } from './pause.js';

/**
 * `commit`: a new image from a container's changes. The overlay upper dir becomes one more
 * layer (whiteouts and opaque directories written the way image layers spell them), on top of
 * the container's image; the config is the container's, with `--change`s applied.
 */

export interface CommitOptions {
  /** REPO[:TAG]; none makes a dangling image. */
  reference?: string;
  message?: string;
  author?: string;
  changes?: string[];
  /** Pause a running container while its layer is read (Docker's default). */
  pause?: boolean;
}

export interface CommitReport {
  /** Image id (config digest hex). */
  id: string;
  /** Set when --pause was asked for but the container could not be paused. */
  pauseWarning?: string;
}

const RUNTIME_ENV = ['HOSTNAME', 'HOME', 'TERM'];

/**
 * Pure: the run config a committed image gets: the image's, with what the container was
 * created with (env, command, user, workdir, labels). Variables berth sets for every run
 * (HOSTNAME, HOME, TERM) are left out unless the image or the user set them.
 */
export function committedRunConfig(image: RunConfig, rec: Container): RunConfig {
  const c = rec.config;
  const keep = new Set(
    [...(image.Env ?? []), ...c.options.env, ...c.options.envFile].map((e) => e.split('=')[0]),
  );
  const out: RunConfig = { ...image };
  out.Env = c.env.filter((e) => {
    const name = e.split('=')[0];
    return !RUNTIME_ENV.includes(name) || keep.has(name);
  });
  out.Cmd = c.cmd.length ? [...c.cmd] : null;
  out.Entrypoint = c.entrypoint.length ? [...c.entrypoint] : null;
  if (c.options.workdir) out.WorkingDir = c.options.workdir;
  if (c.user) out.User = c.user;
  if (Object.keys(c.labels).length) out.Labels = { ...c.labels };
  if (c.stopSignal && (image.StopSignal || c.stopSignal !== 'SIGTERM')) out.StopSignal = c.stopSignal;
  return out;
}

export async function commitContainer(
  e: ContainerEngine,
  rec: Container,
  opts: CommitOptions,
): Promise<CommitReport> {
  const names = opts.reference ? [imageNameFor(opts.reference)] : [];
  if (rec.driver === 'vfs') {
    throw new BerthError(`committing container ${rec.name}: not supported with the vfs storage driver`, {
      hint: 'use the overlay or fuse-overlayfs driver',
    });
  }
  const store = await e.images();
  const img = await store.getImage(rec.imageId);
  if (!img)
    throw new BerthError(`committing container ${rec.name}: its image ${rec.imageId.slice(0, 12)} is gone`);
  const parent = (await readConfig(store, img)) as ImageConfig;
  const manifest = parseManifest(await store.readBlob(img.manifestDigest));
  if (manifest.kind !== 'image')
    throw new BerthError(`committing container ${rec.name}: the image's manifest is an index`);
  const runConfig = applyChanges(committedRunConfig(parent.config ?? {}, rec), opts.changes ?? []);

  const [fresh] = await reconcile(e, [rec]);
  let paused = false;
  let pauseWarning: string | undefined;
  if ((opts.pause ?? true) && fresh?.state.status === 'running') {
    try {
      await pauseContainer(e, fresh, true);
      paused = true;
    } catch (err) {
      pauseWarning = `could not pause container ${rec.name} (${errorMessage(err)}): committing it while it runs`;
      warn(pauseWarning);
    }
  }
  let layer: Awaited<ReturnType<typeof storeLayerFromTar>>;
  try {
    const upper = e.containers.paths(rec.id).upper;
    const lowers = await store.layerDiffPaths([...rec.layers].reverse());
    const exclude = mountpointLeftovers(upper, lowers, await specMountDestinations(e, rec));
    const tar = packTree({ path: upper, name: '', overlayWhiteouts: true, exclude });
    layer = await storeLayerFromTar(e.ctx, store, tar, parent.rootfs.diff_ids);
  } finally {
    if (paused)
      await pauseContainer(e, fresh!, false).catch((err) =>
        warn(`unpausing ${rec.name}: ${errorMessage(err)}`),
      );
  }
  const created = new Date().toISOString();
  const oci = manifest.mediaType === MediaType.OciManifest;
  const descriptors: LayerDescriptor[] = [
    ...manifest.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    {
      mediaType: oci ? MediaType.OciLayerGzip : MediaType.DockerLayerGzip,
      digest: layer.digest,
      size: layer.size,
    },
  ];
  const config: Record<string, unknown> = {
    ...parent,
    created,
    container: rec.id,
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: [...parent.rootfs.diff_ids, layer.diffId] },
    history: [
      ...(parent.history ?? []),
      {
        created,
        created_by: rec.config.processArgs.join(' '),
        ...(opts.author ? { author: opts.author } : {}),
        ...(opts.message ? { comment: opts.message } : {}),
      },
    ],
  };
  if (opts.author) config.author = opts.author;
  else delete config.author;
  try {
    const id = await storeImage(store, {
      config,
      layers: [...img.layers, layer.id],
      descriptors,
      format: oci ? 'oci' : 'docker',
      names,
    });
    return { id, ...(pauseWarning ? { pauseWarning } : {}) };
  } catch (err) {
    await discardLayer(store, layer);
    throw err;
  }
}
