import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, fstatSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, createGunzip } from 'node:zlib';
import type { ImageConfig } from '../image/image-config.js';
import { MediaType } from '../image/manifest.js';
import { formatReference, parseNormalized } from '../image/reference.js';
import { goArch } from '../spec/seccomp.js';
import { tryLock } from '../sys/flock.js';
import { decompressAuto } from '../storage/compression.js';
import { chainIds, createHashingPassThrough, sha256Digest } from '../storage/digest.js';
import { extractLayer } from '../storage/extract.js';
import { openStore, type Store } from '../storage/store.js';
import { BerthError, errorMessage } from '../util/errors.js';
import { debug } from '../util/log.js';
import type { EngineContext } from './context.js';

/**
 * Images made here rather than pulled: `import` (one layer from a tar) and, through the same
 * helpers, `commit` (a new layer on a container's image). Also Dockerfile-style `--change`s.
 */

// ----- --change -----

const CHANGES = [
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'LABEL',
  'ONBUILD',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];

/** The `config` object of an image config blob, as changes edit it. */
export type RunConfig = NonNullable<ImageConfig['config']> & { OnBuild?: string[] | null };

/** Pure: shell-like words (quotes and backslashes), as Dockerfile ENV and LABEL read them. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new BerthError(`invalid change: unterminated quote in ${JSON.stringify(s)}`);
  if (inWord) out.push(cur);
  return out;
}

/** JSON exec form (`["a","b"]`), or undefined when `s` is not one. */
function jsonList(s: string): string[] | undefined {
  if (!s.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // shell form after all
  }
  return undefined;
}

/** Pure: `INSTRUCTION args` (or `INSTRUCTION=args`, as Podman takes it) split and checked. */
export function parseChange(change: string): { instruction: string; args: string } {
  const s = change.trim();
  const m = /^([A-Za-z]+)(?:\s+|=)([\s\S]*)$/.exec(s) ?? /^([A-Za-z]+)$/.exec(s);
  const instruction = m?.[1]?.toUpperCase();
  if (!m || !instruction || !CHANGES.includes(instruction)) {
    throw new BerthError(`invalid change ${JSON.stringify(change)}: want one of ${CHANGES.join(', ')}`);
  }
  return { instruction, args: (m[2] ?? '').trim() };
}

function keyValues(instruction: string, args: string): [string, string][] {
  const words = splitWords(args);
  if (words.length === 0) throw new BerthError(`invalid change: ${instruction} needs an argument`);
  // The legacy `ENV K some value` form: one name, the rest is the value.
  if (!words[0].includes('=')) {
    const [, rest] = /^\S+\s*([\s\S]*)$/.exec(args) ?? [];
    return [[words[0], splitWords(rest ?? '').join(' ')]];
  }
  return words.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw new BerthError(`invalid change: ${instruction} ${args}: want KEY=VALUE`);
    return [w.slice(0, i), w.slice(i + 1)];
  });
}

/** Pure: applies `--change` instructions to an image's run config (a copy is returned). */
export function applyChanges(config: RunConfig, changes: readonly string[]): RunConfig {
  const c: RunConfig = structuredClone(config);
  for (const change of changes) {
    const { instruction, args } = parseChange(change);
    if (args === '' && instruction !== 'CMD' && instruction !== 'ENTRYPOINT') {
      throw new BerthError(`invalid change: ${instruction} needs an argument`);
    }
    switch (instruction) {
      case 'CMD':
      case 'ENTRYPOINT': {
        const list = args === '' ? [] : (jsonList(args) ?? ['/bin/sh', '-c', args]);
        if (instruction === 'CMD') c.Cmd = list;
        else c.Entrypoint = list;
        break;
      }
      case 'ENV': {
        const env = [...(c.Env ?? [])];
        for (const [k, v] of keyValues(instruction, args)) {
          const i = env.findIndex((e) => e.split('=')[0] === k);
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        c.Env = env;
        break;
      }
      case 'LABEL':
        c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(keyValues(instruction, args)) };
        break;
      case 'EXPOSE': {
        const ports = { ...(c.ExposedPorts ?? {}) };
        for (const p of splitWords(args)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(p))
            throw new BerthError(`invalid change: EXPOSE ${p}: not a port`);
          ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
        }
        c.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const vols = { ...(c.Volumes ?? {}) };
        for (const v of jsonList(args) ?? splitWords(args)) vols[v] = {};
        c.Volumes = vols;
        break;
      }
      case 'WORKDIR':
        c.WorkingDir = posix.resolve(c.WorkingDir || '/', splitWords(args).join(' '));
        break;
      case 'USER':
        c.User = args;
        break;
      case 'STOPSIGNAL':
        c.StopSignal = args;
        break;
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), args];
        break;
    }
  }
  return c;
}

// ----- layers and images from tars -----

export interface StoredLayer {
  /** The layer id (chain id hex). */
  id: string;
  diffId: string;
  /** Digest and size of the gzip blob. */
  digest: string;
  size: number;
  /** The layer was in the store already (so a failure later must not remove it). */
  reused: boolean;
}

/** Removes a layer storeLayerFromTar made, and its blob, after what was to use it failed. */
export async function discardLayer(store: Store, layer: StoredLayer): Promise<void> {
  if (layer.reused) return;
  try {
    await store.removeLayer(layer.id);
    if (!(await store.listLayers()).some((l) => l.compressedDigest === layer.digest)) {
      await rm(store.blobPath(layer.digest), { force: true });
    }
  } catch (e) {
    debug(`keeping layer ${layer.id}: ${errorMessage(e)}`);
  }
}

/** `input` decompressed as its first bytes say; a read error fails the result too. */
export function decompressed(input: Readable): Readable {
  const out = decompressAuto();
  input.once('error', (e) => out.destroy(e));
  return input.pipe(out);
}

/**
 * Stores an uncompressed layer tar on top of `parentDiffIds`: gzips it into a blob and extracts
 * it as a layer. The tar goes through a temp file first, since the layer id and the blob name
 * are digests of what is still to come. The temp file stays flock'ed while in use, so another
 * berth's clean-up of tmp/ leaves it alone.
 */
export async function storeLayerFromTar(
  ctx: EngineContext,
  store: Store,
  tarStream: Readable,
  parentDiffIds: readonly string[],
): Promise<StoredLayer> {
  const tmp = join(store.layout.tmpDir, `layer-${process.pid}-${randomBytes(6).toString('hex')}.tar.gz`);
  const lock = tryLock(tmp, 'exclusive');
  if (!lock || fstatSync(lock.fd).nlink === 0) {
    lock?.release();
    throw new BerthError(`storing a layer: cannot keep the temp file ${tmp}`);
  }
  try {
    const diff = createHashingPassThrough();
    const compressed = createHashingPassThrough();
    await pipeline(tarStream, diff, createGzip(), compressed, createWriteStream(tmp));
    const diffId = diff.digest();
    const digest = compressed.digest();
    const id = chainIds([...parentDiffIds, diffId])
      .at(-1)!
      .slice('sha256:'.length);
    const made = await store.createLayer({ id, diffId, compressedDigest: digest }, (diffDir) =>
      extractLayer(createReadStream(tmp).pipe(createGunzip()), diffDir, {
        ownership: 'keep',
        overlayXattrPrefix: ctx.identity.rootless ? 'user.overlay.' : 'trusted.overlay.',
        debug,
      }),
    );
    try {
      if (!(await store.hasBlob(digest))) {
        const w = store.createBlobWriter(digest);
        await pipeline(createReadStream(tmp), w);
        await w.commit();
      }
    } catch (e) {
      if (!made.reused) await store.removeLayer(id).catch(() => undefined);
      throw e;
    }
    return { id, diffId, digest, size: compressed.bytes, reused: made.reused };
  } finally {
    await rm(tmp, { force: true });
    lock.release();
  }
}

export interface LayerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface NewImage {
  /** The config blob as an object (`rootfs.diff_ids` must list every layer). */
  config: Record<string, unknown>;
  /** Layer ids (chain ids), bottom first, and their blob descriptors in the same order. */
  layers: string[];
  descriptors: LayerDescriptor[];
  /** 'oci' or 'docker' (schema2). */
  format: 'oci' | 'docker';
  /** Full references to name it by; none makes a dangling image. */
  names: string[];
}

/** Writes config and manifest blobs and the image record; returns the image id (hex). */
export async function storeImage(store: Store, img: NewImage): Promise<string> {
  const oci = img.format === 'oci';
  const configBytes = Buffer.from(JSON.stringify(img.config));
  const configDigest = await store.putBlob(configBytes, sha256Digest(configBytes));
  const manifest = {
    schemaVersion: 2,
    mediaType: oci ? MediaType.OciManifest : MediaType.DockerManifest,
    config: {
      mediaType: oci ? MediaType.OciConfig : MediaType.DockerConfig,
      digest: configDigest,
      size: configBytes.length,
    },
    layers: img.descriptors,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await store.putBlob(manifestBytes);
  const id = configDigest.slice('sha256:'.length);
  await store.putImage({
    id,
    names: img.names,
    digests: [],
    manifestDigest,
    configDigest,
    layers: img.layers,
    created: typeof img.config.created === 'string' ? img.config.created : new Date().toISOString(),
  });
  return id;
}

/** The full name `REPO[:TAG]` stands for (tag `latest` by default); digests are refused. */
export function imageNameFor(ref: string): string {
  let parsed: ReturnType<typeof parseNormalized>;
  try {
    parsed = parseNormalized(ref);
  } catch (e) {
    throw new BerthError(`invalid reference ${JSON.stringify(ref)}: ${errorMessage(e)}`);
  }
  if (parsed.digest)
    throw new BerthError(
      `invalid reference ${JSON.stringify(ref)}: an image made here cannot be named by a digest`,
    );
  return formatReference(parsed);
}

// ----- import -----

export interface ImportOptions {
  /** A tar file (plain, gzip or zstd) or `-` for `stdin`. */
  source: string;
  stdin?: Readable;
  reference?: string;
  changes?: string[];
  message?: string;
}

export async function importImage(ctx: EngineContext, opts: ImportOptions): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(opts.source)) {
    throw new BerthError(`importing ${opts.source}: importing from a URL is not supported`, {
      hint: 'download the file first and import it from disk',
    });
  }
  const names = opts.reference ? [imageNameFor(opts.reference)] : [];
  const runConfig = applyChanges({}, opts.changes ?? []);
  let input: Readable;
  if (opts.source === '-') {
    if (!opts.stdin) throw new BerthError('importing from -: no input stream');
    input = opts.stdin;
  } else {
    input = createReadStream(opts.source);
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', (e) => reject(new BerthError(`importing ${opts.source}: ${errorMessage(e)}`)));
    });
  }
  const store = await openStore(ctx.paths.root);
  const layer = await storeLayerFromTar(ctx, store, decompressed(input), []);
  const created = new Date().toISOString();
  const config = {
    architecture: goArch(process.arch),
    os: 'linux',
    created,
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [
      {
        created,
        created_by: '',
        comment: opts.message || `Imported from ${opts.source}`,
      },
    ],
  };
  try {
    return await storeImage(store, {
      config,
      layers: [layer.id],
      descriptors: [{ mediaType: MediaType.DockerLayerGzip, digest: layer.digest, size: layer.size }],
      format: 'docker',
      names,
    });
  } catch (e) {
    await discardLayer(store, layer);
    throw e;
  }
}
