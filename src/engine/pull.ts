import { rm } from 'node:fs/promises';
import { PassThrough, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseImageConfig } from '../image/image-config.js';
import { ACCEPT, type ImageManifest, parseManifest } from '../image/manifest.js';
import { hostPlatform, parsePlatform, selectManifest } from '../image/platform.js';
import {
  formatName,
  formatReference,
  type ImageReference,
  normalize,
  parseReference,
} from '../image/reference.js';
import { type PullSource, pullSources, resolveShortName } from '../image/registries-conf.js';
import type { RegistryClient } from '../image/registry/client.js';
import { decompressor } from '../storage/compression.js';
import { chainIds, createHashingPassThrough } from '../storage/digest.js';
import { extractLayer } from '../storage/extract.js';
import { openStore, type Store } from '../storage/store.js';
import { BerthError, errorMessage, isBerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import type { EngineContext } from './context.js';
import type { PullProgress } from './progress.js';
import { RegistryAccess, type RegistryAccessOptions } from './registry-access.js';

export interface PullOptions extends RegistryAccessOptions {
  reference: string;
  platform?: string;
  allTags?: boolean;
  progress?: PullProgress;
  /** Layers fetched at once. */
  concurrency?: number;
}

export interface PullReport {
  /** Image id: the config digest's hex. */
  id: string;
  name: string;
  manifestDigest: string;
}

/**
 * Passes bytes through and copies them into a side branch (decompression and extraction) as
 * they go, honouring its backpressure. When the branch fails it is dropped and the bytes keep
 * flowing, so the whole blob is still hashed: a corrupt download is reported as the digest
 * mismatch it is, not as whatever the decompressor tripped over first.
 */
class Tee extends Transform {
  constructor(private branch: Writable) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    const b = this.branch;
    if (b.destroyed || b.writableEnded || b.write(chunk)) return cb(null, chunk);
    const go = () => {
      b.off('drain', go);
      b.off('close', go);
      cb(null, chunk);
    };
    b.on('drain', go);
    b.on('close', go);
  }
  override _flush(cb: TransformCallback) {
    if (!this.branch.destroyed && !this.branch.writableEnded) this.branch.end();
    cb();
  }
}

async function mapLimit<T>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

interface Resolved {
  manifest: ImageManifest;
  manifestBytes: Buffer;
  manifestDigest: string;
  manifestMediaType: string;
  /** The index or manifest list the manifest was selected from. */
  index?: { bytes: Buffer; digest: string };
}

async function resolveManifest(
  client: RegistryClient,
  src: PullSource,
  platformSpec?: string,
): Promise<Resolved> {
  const ref = src.digest ?? src.tag ?? 'latest';
  const got = await client.getManifest(src.repository, ref, ACCEPT);
  const parsed = parseManifest(got.bytes, got.mediaType);
  if (parsed.kind === 'image') {
    return {
      manifest: parsed,
      manifestBytes: got.bytes,
      manifestDigest: got.digest,
      manifestMediaType: parsed.mediaType,
    };
  }
  const want = platformSpec ? parsePlatform(platformSpec) : hostPlatform();
  const entry = selectManifest(parsed, want);
  const inner = await client.getManifest(src.repository, entry.digest, ACCEPT);
  const innerParsed = parseManifest(inner.bytes, inner.mediaType || entry.mediaType);
  if (innerParsed.kind !== 'image') {
    throw new BerthError(`${formatReference(src)}: index entry ${entry.digest} is itself an index`);
  }
  return {
    manifest: innerParsed,
    manifestBytes: inner.bytes,
    manifestDigest: inner.digest,
    manifestMediaType: innerParsed.mediaType,
    index: { bytes: got.bytes, digest: got.digest },
  };
}

/** A config blob: small, read whole, stored once its digest checks out. */
async function fetchSmallBlob(
  client: RegistryClient,
  repo: string,
  digest: string,
  store: Store,
): Promise<Buffer> {
  if (await store.hasBlob(digest)) return store.readBlob(digest);
  const parts: Buffer[] = [];
  for await (const c of client.fetchBlob(repo, digest)) parts.push(c as Buffer);
  const bytes = Buffer.concat(parts);
  await store.putBlob(bytes, digest);
  return bytes;
}

/** Removes what a failed pull made that no image uses: its new layers, their blobs, the config. */
async function discardPartialPull(store: Store, layerIds: string[], configDigest: string): Promise<void> {
  const images = await store.listImages({ includeIncomplete: true });
  for (const id of layerIds) {
    const rec = await store.getLayer(id);
    try {
      await store.removeLayer(id);
      if (rec?.compressedDigest) await rm(store.blobPath(rec.compressedDigest), { force: true });
    } catch (e) {
      debug(`keeping layer ${id}: ${errorMessage(e)}`);
    }
  }
  if (!images.some((img) => img.configDigest === configDigest))
    await rm(store.blobPath(configDigest), { force: true });
}

async function pullFrom(
  ctx: EngineContext,
  store: Store,
  access: RegistryAccess,
  name: ImageReference,
  src: PullSource,
  opts: PullOptions,
): Promise<PullReport> {
  const client = access.client(src.registry, src.insecure, src.repository);
  const where = `${src.registry}/${src.repository}`;
  const { manifest, manifestBytes, manifestDigest, index } = await resolveManifest(
    client,
    src,
    opts.platform,
  );
  const configBytes = await fetchSmallBlob(client, src.repository, manifest.config.digest, store);
  const config = parseImageConfig(configBytes, manifest.layers.length, `${formatReference(src)}`);
  if (opts.platform) {
    const want = parsePlatform(opts.platform);
    if (config.architecture && want.architecture !== config.architecture) {
      throw new BerthError(
        `${formatReference(src)}: image is for ${config.os}/${config.architecture}, not ${opts.platform}`,
      );
    }
  }
  const diffIds = config.rootfs.diff_ids;
  const chain = chainIds(diffIds);
  const rootless = ctx.identity.rootless;
  const created: string[] = [];
  try {
    await mapLimit(manifest.layers, opts.concurrency ?? 3, async (layer, i) => {
      const id = chain[i].slice('sha256:'.length);
      if (await store.hasLayer(id)) {
        opts.progress?.layerDone(layer.digest, 'exists');
        return;
      }
      opts.progress?.layerStart(layer.digest, layer.size);
      // No parent link: layers are extracted in parallel, each into its own directory, and an
      // image record lists all of its layers anyway.
      const made = await store.createLayer(
        { id, diffId: diffIds[i], compressedDigest: layer.digest },
        async (diffDir) => {
          const blob = store.createBlobWriter(layer.digest);
          const body = client.fetchBlob(src.repository, layer.digest, {
            size: layer.size,
            onProgress: (n) => opts.progress?.layerBytes(layer.digest, n),
          });
          const diff = createHashingPassThrough();
          const branch = new PassThrough();
          let branchError: unknown;
          const unpack = pipeline(branch, decompressor(layer.compression), diff);
          const extract = extractLayer(diff, diffDir, {
            ownership: 'keep',
            overlayXattrPrefix: rootless ? 'user.overlay.' : 'trusted.overlay.',
            debug,
          });
          // The first failure stops both halves; then wait until both have settled, so nothing
          // still writes into the layer directory when a failed layer is removed.
          const stop = (e: unknown) => {
            branchError ??= e;
            branch.destroy();
            diff.destroy();
          };
          unpack.catch(stop);
          extract.catch(stop);
          const unpacking = Promise.allSettled([unpack, extract]).then(([, r]) =>
            branchError === undefined && r.status === 'fulfilled' ? r.value : undefined,
          );
          try {
            await pipeline(body, new Tee(branch), blob);
            const unpacked = await unpacking;
            if (blob.actualDigest() !== layer.digest) {
              throw new BerthError(
                `pulling ${where}: blob ${layer.digest} from ${src.registry}: digest mismatch: got ${blob.actualDigest()}`,
                { code: 'digest-mismatch' },
              );
            }
            if (branchError !== undefined || !unpacked) {
              if (isBerthError(branchError)) throw branchError;
              throw new BerthError(
                `pulling ${where}: layer ${layer.digest} from ${src.registry}: ${errorMessage(branchError)}`,
                { code: 'corrupt-layer' },
              );
            }
            if (diff.digest() !== diffIds[i]) {
              throw new BerthError(
                `pulling ${where}: layer ${layer.digest} from ${src.registry}: uncompressed digest ${diff.digest()} does not match the config's ${diffIds[i]}`,
                { code: 'digest-mismatch' },
              );
            }
            await blob.commit();
            return { size: unpacked.size };
          } catch (e) {
            body.destroy();
            branch.destroy();
            await unpacking;
            await blob.abort();
            throw e;
          }
        },
      );
      if (!made.reused) created.push(id);
      opts.progress?.layerDone(layer.digest, made.reused ? 'exists' : 'done');
    });
  } catch (e) {
    // Leave nothing of a failed pull behind: the layers it made that no image uses go again.
    await discardPartialPull(store, created, manifest.config.digest);
    throw e;
  }
  opts.progress?.configDone(manifest.config.digest);
  opts.progress?.writingManifest();
  await store.putBlob(manifestBytes, manifestDigest);
  if (index) await store.putBlob(index.bytes, index.digest);
  const id = manifest.config.digest.slice('sha256:'.length);
  const tagged = name.tag !== undefined ? formatReference({ ...name, digest: undefined }) : undefined;
  await store.putImage({
    id,
    names: tagged ? [tagged] : [],
    // Both the index's digest (what Docker shows) and the platform manifest's find the image.
    digests: [index?.digest, manifestDigest]
      .filter((d) => d !== undefined)
      .map((d) => `${formatName(name)}@${d}`),
    manifestDigest,
    configDigest: manifest.config.digest,
    layers: chain.map((c) => c.slice(7)),
    created: config.created ?? new Date(0).toISOString(),
    ...(index ? { blobs: [index.digest] } : {}),
  });
  return { id, name: formatReference(name), manifestDigest };
}

/** Pulls one reference (trying short-name candidates and mirrors in order) into the store. */
export async function pullImage(ctx: EngineContext, opts: PullOptions): Promise<PullReport[]> {
  if (opts.allTags) throw new BerthError('--all-tags is not supported yet');
  parseReference(opts.reference); // bad references fail before anything else happens
  if (opts.platform) parsePlatform(opts.platform);
  const access = new RegistryAccess(ctx, opts);
  const store = await openStore(ctx.paths.root);
  try {
    const candidates = resolveShortName(access.registries(), opts.reference);
    const errors: string[] = [];
    for (const name of candidates) {
      opts.progress?.trying(formatReference(name));
      const sources = pullSources(access.registries(), name, { tlsVerify: opts.tlsVerify });
      for (const src of sources) {
        try {
          return [await pullFrom(ctx, store, access, normalize(name), src, opts)];
        } catch (e) {
          debug(`pull from ${formatReference(src)} failed: ${errorMessage(e)}`);
          // A corrupt or hostile image is not a reason to try elsewhere silently.
          if (isBerthError(e) && ['digest-mismatch', 'hostile-layer', 'corrupt-layer'].includes(e.code ?? ''))
            throw e;
          if (sources.length === 1 && candidates.length === 1) throw e;
          errors.push(`${formatReference(src)}: ${errorMessage(e)}`);
        }
      }
    }
    throw new BerthError(`pulling ${opts.reference}: ${errors.join('; ')}`);
  } finally {
    await access.close();
  }
}
