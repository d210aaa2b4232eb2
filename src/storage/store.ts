import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Lock, acquireLock, tryLock } from '../sys/flock.js';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import { readJson, writeJsonAtomic } from './atomic.js';
import { BlobWriter } from './blob-writer.js';
import { parseDigest, sha256Digest } from './digest.js';
import {
  type StoreLayout,
  blobPathIn,
  layerDiffIn,
  layerDirIn,
  layerLockIn,
  normaliseId,
  shortIdFrom,
  shortLinkIn,
  storeLayout,
} from './layout.js';
import { type ProcessStamp, currentProcessStamp, isProcessAlive } from './process-stamp.js';

/**
 * The image store: content-addressed blobs, extracted layers and image records. Any number of
 * berth processes use one store at a time; each operation takes the flock it needs, records are
 * written atomically, and what an interrupted process left half-made is marked `incomplete`
 * and removed by the next openStore().
 */

export interface LayerRecord {
  /** Chain ID hex: identical layer stacks share layers across images. */
  id: string;
  parent?: string;
  /** sha256 of the uncompressed tar. */
  diffId: string;
  /** The blob the layer came from, when pulled. */
  compressedDigest?: string;
  /** Bytes of regular file content. */
  size: number;
  created: string;
  /** The `l/<shortId>` link name. */
  shortId: string;
  incomplete?: boolean;
}

export interface ImageRecord {
  /** Config digest hex. */
  id: string;
  /** Full references, `registry/repo:tag`. */
  names: string[];
  /** `repo@sha256:...` references of manifests. */
  digests: string[];
  manifestDigest: string;
  configDigest: string;
  /** Layer ids, bottom first. */
  layers: string[];
  created: string;
  size?: number;
  /** Other blobs this image keeps alive (an index it was pulled through, for instance). */
  blobs?: string[];
  incomplete?: boolean;
  /** Who marked it incomplete; recovery removes it once that process is gone. */
  creator?: ProcessStamp;
}

export interface NewLayer {
  id: string;
  parent?: string;
  diffId: string;
  compressedDigest?: string;
}

export interface CreateLayerResult {
  layer: LayerRecord;
  /** True when the layer already existed (or another process made it while we waited). */
  reused: boolean;
}

export interface RemoveImageReport {
  image: ImageRecord;
  removedLayers: string[];
  removedBlobs: string[];
}

interface Index {
  layers: LayerRecord[];
  images: ImageRecord[];
}

function notFound(what: string): BerthError {
  return new BerthError(`${what}: not found`, { code: 'not-found' });
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function requireId(kind: string, id: string): string {
  const hex = normaliseId(id);
  if (!hex) throw new BerthError(`invalid ${kind} id ${JSON.stringify(id)}: want 64 hex digits`);
  return hex;
}

export class Store {
  readonly root: string;
  readonly layout: StoreLayout;
  /** The indexes as of the last-write token we saw; reused while nobody else writes. */
  private cache: (Index & { token: string }) | undefined;

  constructor(root: string) {
    this.root = root;
    this.layout = storeLayout(root);
  }

  // ----- index access -----

  private async load(lock: Lock): Promise<Index> {
    const token = lock.readToken();
    if (this.cache && token !== '' && this.cache.token === token) return this.cache;
    const layers = (await readJson<LayerRecord[]>(this.layout.layersJson)) ?? [];
    const images = (await readJson<ImageRecord[]>(this.layout.imagesJson)) ?? [];
    this.cache = { token, layers, images };
    return this.cache;
  }

  private async read<T>(fn: (idx: Index) => T): Promise<T> {
    const lock = await acquireLock(this.layout.lockFile, 'shared');
    try {
      return clone(fn(await this.load(lock)));
    } finally {
      lock.release();
    }
  }

  /** Runs `fn` on the indexes under the exclusive lock and saves what it changed. */
  private async write<T>(fn: (idx: Index) => Promise<T> | T): Promise<T> {
    const lock = await acquireLock(this.layout.lockFile, 'exclusive');
    try {
      const idx = await this.load(lock);
      const before = { layers: JSON.stringify(idx.layers), images: JSON.stringify(idx.images) };
      let result: T;
      try {
        result = await fn(idx);
      } catch (e) {
        this.cache = undefined; // fn may have changed the cached records before failing
        throw e;
      }
      const layers = JSON.stringify(idx.layers);
      const images = JSON.stringify(idx.images);
      if (layers !== before.layers) await writeJsonAtomic(this.layout.layersJson, idx.layers);
      if (images !== before.images) await writeJsonAtomic(this.layout.imagesJson, idx.images);
      if (layers !== before.layers || images !== before.images || this.cache?.token === '') {
        this.cache = { ...idx, token: lock.writeToken() };
      }
      return clone(result);
    } catch (e) {
      this.cache = undefined;
      throw e;
    } finally {
      lock.release();
    }
  }

  // ----- start-up and recovery -----

  async init(): Promise<void> {
    const l = this.layout;
    for (const d of [join(l.blobsDir, 'sha256'), l.layersDir, l.linksDir, l.locksDir, l.tmpDir]) {
      await mkdir(d, { recursive: true });
    }
    await this.recover();
  }

  /**
   * Removes what interrupted processes left: incomplete layers whose per-layer lock nobody
   * holds, incomplete images whose creator is gone, and unlocked files in tmp/.
   */
  async recover(): Promise<void> {
    const needed = await this.read(
      (idx) =>
        idx.layers.some((x) => x.incomplete) ||
        idx.images.some((x) => x.incomplete && !this.creatorAlive(x)) ||
        this.orphansIn(idx).length > 0,
    );
    const trash: string[] = [];
    if (needed) {
      await this.write(async (idx) => {
        // A process killed inside createLayer's reservation made the directory and link before
        // the index that names them was saved. Writers change both under the exclusive lock we
        // hold, so whatever the index does not name now is such a leftover.
        for (const path of this.orphansIn(idx)) {
          debug(`storage: removing orphaned ${path}`);
          if (path.startsWith(this.layout.linksDir)) await unlink(path).catch(() => {});
          else {
            const t = join(this.layout.tmpDir, `trash-orphan-${randomBytes(4).toString('hex')}`);
            await rename(path, t).catch(() => {});
            trash.push(t);
          }
        }
        for (const layer of [...idx.layers].reverse()) {
          if (!layer.incomplete) continue;
          const held = tryLock(layerLockIn(this.root, layer.id), 'exclusive');
          if (!held) continue; // its creator is still at work
          try {
            debug(`storage: removing incomplete layer ${layer.id}`);
            trash.push(await this.detachLayer(idx, layer));
          } finally {
            held.release();
          }
        }
        idx.images = idx.images.filter((img) => {
          if (!img.incomplete || this.creatorAlive(img)) return true;
          debug(`storage: removing incomplete image ${img.id}`);
          return false;
        });
      });
    }
    await this.cleanTmp(trash);
  }

  /** Layer directories and `l/` links that no layer record names. */
  private orphansIn(idx: Index): string[] {
    const list = (dir: string) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    };
    const ids = new Set(idx.layers.map((x) => x.id));
    const shorts = new Set(idx.layers.map((x) => x.shortId));
    return [
      ...list(this.layout.layersDir)
        .filter((n) => !ids.has(n))
        .map((n) => join(this.layout.layersDir, n)),
      ...list(this.layout.linksDir)
        .filter((n) => !shorts.has(n))
        .map((n) => join(this.layout.linksDir, n)),
    ];
  }

  private creatorAlive(img: ImageRecord): boolean {
    return img.creator !== undefined && isProcessAlive(img.creator);
  }

  private async cleanTmp(trash: string[]): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.layout.tmpDir);
    } catch {
      return;
    }
    const paths = new Set(trash);
    for (const name of names) {
      const path = join(this.layout.tmpDir, name);
      if (name.startsWith('trash-')) {
        paths.add(path);
        continue;
      }
      // A temp file whose writer is alive is flock'ed; an unlocked one is an orphan.
      let held: Lock | undefined;
      try {
        held = tryLock(path, 'exclusive');
      } catch {
        continue; // a directory or something we cannot open: not ours to judge
      }
      if (!held) continue;
      try {
        debug(`storage: removing orphaned ${path}`);
        await unlink(path).catch(() => {});
      } finally {
        held.release();
      }
    }
    for (const p of paths) await rm(p, { recursive: true, force: true }).catch(() => {});
  }

  /**
   * Takes a layer out of the index and moves its directory into tmp/ for deletion after the
   * lock is released (deleting a big tree under the store lock would stall everyone).
   */
  private async detachLayer(idx: Index, layer: LayerRecord): Promise<string> {
    idx.layers = idx.layers.filter((x) => x.id !== layer.id);
    await unlink(shortLinkIn(this.root, layer.shortId)).catch(() => {});
    const trash = join(
      this.layout.tmpDir,
      `trash-${layer.id.slice(0, 12)}-${randomBytes(4).toString('hex')}`,
    );
    try {
      await rename(layerDirIn(this.root, layer.id), trash);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return trash;
  }

  // ----- blobs -----

  blobPath(digest: string): string {
    return blobPathIn(this.root, digest);
  }

  async hasBlob(digest: string): Promise<boolean> {
    try {
      return (await stat(this.blobPath(digest))).isFile();
    } catch {
      return false;
    }
  }

  /** A writable for the blob's bytes; commit() verifies them and moves them into place. */
  createBlobWriter(digest: string): BlobWriter {
    return new BlobWriter(digest, this.layout.tmpDir, this.blobPath(digest));
  }

  /** Stores bytes held in memory (manifests, configs); returns their digest. */
  async putBlob(data: string | Uint8Array, digest = sha256Digest(data)): Promise<string> {
    const w = this.createBlobWriter(digest);
    w.end(typeof data === 'string' ? Buffer.from(data) : data);
    await w.commit();
    return digest;
  }

  async readBlob(digest: string): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`blob ${digest}`);
      throw e;
    }
  }

  // ----- layers -----

  layerDiffDir(id: string): string {
    return layerDiffIn(this.root, requireId('layer', id));
  }

  async listLayers(): Promise<LayerRecord[]> {
    return this.read((idx) => idx.layers);
  }

  /** The complete layer, or undefined. */
  async getLayer(id: string): Promise<LayerRecord | undefined> {
    const hex = requireId('layer', id);
    return this.read((idx) => idx.layers.find((x) => x.id === hex && !x.incomplete));
  }

  async hasLayer(id: string): Promise<boolean> {
    return (await this.getLayer(id)) !== undefined;
  }

  /**
   * Creates a layer, or reuses it if it exists. The record is reserved `incomplete` under the
   * store lock, `populate` fills the diff directory without holding the store lock, and a
   * per-layer lock makes a second process that wants the same layer wait and then reuse it.
   */
  async createLayer(
    spec: NewLayer,
    populate: (diffDir: string) => Promise<{ size: number }>,
  ): Promise<CreateLayerResult> {
    const id = requireId('layer', spec.id);
    const parent = spec.parent === undefined ? undefined : requireId('layer', spec.parent);
    parseDigest(spec.diffId);
    if (spec.compressedDigest !== undefined) parseDigest(spec.compressedDigest);

    const existing = await this.getLayer(id);
    if (existing) return { layer: existing, reused: true };

    const layerLock = await acquireLock(layerLockIn(this.root, id), 'exclusive');
    try {
      const trash: string[] = [];
      const reserved = await this.write(async (idx) => {
        const rec = idx.layers.find((x) => x.id === id);
        if (rec && !rec.incomplete) return { layer: rec, reused: true };
        if (parent !== undefined && !idx.layers.some((x) => x.id === parent && !x.incomplete)) {
          throw new BerthError(`creating layer ${id}: parent layer ${parent} is not in the store`, {
            code: 'not-found',
          });
        }
        // An incomplete record here belongs to a dead creator: we hold the layer lock.
        if (rec) trash.push(await this.detachLayer(idx, rec));
        const layer: LayerRecord = {
          id,
          ...(parent !== undefined ? { parent } : {}),
          diffId: spec.diffId,
          ...(spec.compressedDigest !== undefined ? { compressedDigest: spec.compressedDigest } : {}),
          size: 0,
          created: new Date().toISOString(),
          shortId: shortIdFrom(randomBytes(16)),
          incomplete: true,
        };
        const dir = layerDirIn(this.root, id);
        await mkdir(join(dir, 'diff'), { recursive: true, mode: 0o755 });
        await writeFile(join(dir, 'link'), layer.shortId);
        await symlink(`../layers/${id}/diff`, shortLinkIn(this.root, layer.shortId));
        idx.layers.push(layer);
        return { layer, reused: false };
      });
      for (const t of trash) await rm(t, { recursive: true, force: true });
      if (reserved.reused) return reserved;

      let size: number;
      try {
        ({ size } = await populate(this.layerDiffDir(id)));
      } catch (e) {
        const t = await this.write(async (idx) => {
          const rec = idx.layers.find((x) => x.id === id);
          return rec ? this.detachLayer(idx, rec) : undefined;
        });
        if (t) await rm(t, { recursive: true, force: true });
        throw e;
      }
      return await this.write((idx) => {
        const rec = idx.layers.find((x) => x.id === id);
        if (!rec) throw new BerthError(`creating layer ${id}: its record vanished while it was populated`);
        rec.size = size;
        delete rec.incomplete;
        return { layer: rec, reused: false };
      });
    } finally {
      layerLock.release();
    }
  }

  /**
   * Absolute `l/<short>` paths of the layers' diff directories, in the order given (overlay's
   * lowerdir wants the top layer first).
   */
  async layerDiffPaths(ids: readonly string[]): Promise<string[]> {
    const hexes = ids.map((id) => requireId('layer', id));
    const byId = await this.read((idx) => new Map(idx.layers.map((x) => [x.id, x])));
    return hexes.map((id) => {
      const rec = byId.get(id);
      if (!rec || rec.incomplete) throw notFound(`layer ${id}`);
      return shortLinkIn(this.root, rec.shortId);
    });
  }

  /** Removes a layer no image and no other layer builds on. */
  async removeLayer(id: string): Promise<void> {
    const hex = requireId('layer', id);
    const trash = await this.write(async (idx) => {
      const rec = idx.layers.find((x) => x.id === hex);
      if (!rec) throw notFound(`layer ${hex}`);
      const user = idx.images.find((img) => img.layers.includes(hex));
      if (user) {
        throw new BerthError(`removing layer ${hex}: image ${user.id.slice(0, 12)} uses it`, {
          code: 'conflict',
        });
      }
      if (idx.layers.some((x) => x.parent === hex)) {
        throw new BerthError(`removing layer ${hex}: other layers are built on it`, { code: 'conflict' });
      }
      if (rec.incomplete) {
        throw new BerthError(`removing layer ${hex}: it is being created`, { code: 'conflict' });
      }
      return this.detachLayer(idx, rec);
    });
    await rm(trash, { recursive: true, force: true });
  }

  // ----- images -----

  /** Complete images (and incomplete ones too if asked). */
  async listImages(opts: { includeIncomplete?: boolean } = {}): Promise<ImageRecord[]> {
    return this.read((idx) => idx.images.filter((x) => opts.includeIncomplete || !x.incomplete));
  }

  async getImage(id: string): Promise<ImageRecord | undefined> {
    const hex = requireId('image', id);
    return this.read((idx) => idx.images.find((x) => x.id === hex));
  }

  /**
   * Adds or updates an image. Its layers and its manifest and config blobs must be in the
   * store. Names and digests are merged with an existing record of the same id; a name moves
   * here from any other image that had it (as `docker tag` does); a different manifest for the
   * same id joins the record's blobs. `incomplete: true` stamps
   * the record with this process, so recovery removes it if we die before finishing.
   */
  async putImage(record: ImageRecord): Promise<ImageRecord> {
    const id = requireId('image', record.id);
    parseDigest(record.manifestDigest);
    parseDigest(record.configDigest);
    const layers = record.layers.map((l) => requireId('layer', l));
    for (const d of [record.manifestDigest, record.configDigest, ...(record.blobs ?? [])]) {
      if (!(await this.hasBlob(d)))
        throw new BerthError(`storing image ${id}: blob ${d} is not in the store`);
    }
    return this.write((idx) => {
      for (const l of layers) {
        if (!idx.layers.some((x) => x.id === l && !x.incomplete)) {
          throw new BerthError(`storing image ${id}: layer ${l} is not in the store`, { code: 'not-found' });
        }
      }
      const old = idx.images.find((x) => x.id === id);
      // One config can arrive through several manifests (other compressions, an index): the
      // record keeps its first manifest and holds the others as blobs, so none is orphaned.
      const manifestDigest = old?.manifestDigest ?? record.manifestDigest;
      const blobs = new Set([...(old?.blobs ?? []), ...(record.blobs ?? []), record.manifestDigest]);
      blobs.delete(manifestDigest);
      const rec: ImageRecord = {
        ...record,
        id,
        layers,
        manifestDigest,
        names: [...new Set([...(old?.names ?? []), ...record.names])],
        digests: [...new Set([...(old?.digests ?? []), ...record.digests])],
      };
      if (blobs.size) rec.blobs = [...blobs];
      else delete rec.blobs;
      if (record.incomplete) rec.creator = currentProcessStamp();
      else {
        delete rec.incomplete;
        delete rec.creator;
      }
      idx.images = idx.images.filter((x) => x.id !== id);
      moveNames(idx, id, rec.names);
      idx.images.push(rec);
      return rec;
    });
  }

  /** Adds names to an image, taking them from whichever image had them. */
  async addNames(id: string, names: readonly string[]): Promise<ImageRecord> {
    const hex = requireId('image', id);
    return this.write((idx) => {
      const img = idx.images.find((x) => x.id === hex);
      if (!img) throw notFound(`image ${hex}`);
      moveNames(idx, hex, names);
      img.names = [...new Set([...img.names, ...names])];
      return img;
    });
  }

  async removeNames(id: string, names: readonly string[]): Promise<ImageRecord> {
    const hex = requireId('image', id);
    return this.write((idx) => {
      const img = idx.images.find((x) => x.id === hex);
      if (!img) throw notFound(`image ${hex}`);
      img.names = img.names.filter((n) => !names.includes(n));
      return img;
    });
  }

  /**
   * Removes an image, the layers no other image or layer uses, and the blobs it referenced that
   * nothing else references. Whether the image may go (names, containers) is the caller's call.
   */
  async removeImage(id: string): Promise<RemoveImageReport> {
    const hex = requireId('image', id);
    const trash: string[] = [];
    const report = await this.write(async (idx) => {
      const image = idx.images.find((x) => x.id === hex);
      if (!image) throw notFound(`image ${hex}`);
      idx.images = idx.images.filter((x) => x !== image);
      const removedLayers: string[] = [];
      const removedCompressed: string[] = [];
      for (const layerId of [...image.layers].reverse()) {
        const rec = idx.layers.find((x) => x.id === layerId);
        if (!rec || rec.incomplete) continue;
        if (idx.images.some((img) => img.layers.includes(layerId))) continue;
        if (idx.layers.some((x) => x.parent === layerId)) continue;
        trash.push(await this.detachLayer(idx, rec));
        removedLayers.push(layerId);
        if (rec.compressedDigest) removedCompressed.push(rec.compressedDigest);
      }
      const referenced = new Set<string>();
      for (const img of idx.images) {
        referenced.add(img.manifestDigest);
        referenced.add(img.configDigest);
        for (const b of img.blobs ?? []) referenced.add(b);
      }
      for (const l of idx.layers) if (l.compressedDigest) referenced.add(l.compressedDigest);
      const candidates = new Set([
        image.manifestDigest,
        image.configDigest,
        ...(image.blobs ?? []),
        ...removedCompressed,
      ]);
      const removedBlobs: string[] = [];
      for (const d of candidates) {
        if (referenced.has(d)) continue;
        await unlink(this.blobPath(d)).catch(() => {});
        removedBlobs.push(d);
      }
      return { image, removedLayers, removedBlobs };
    });
    for (const t of trash) await rm(t, { recursive: true, force: true });
    return report;
  }

  /**
   * Finds an image by full name (`docker.io/library/busybox:latest`), digest reference
   * (`repo@sha256:...`), full id (with or without `sha256:`) or unique id prefix. The caller
   * normalises references first. Undefined when nothing matches; BerthError when a prefix is
   * ambiguous.
   */
  async findImage(nameOrId: string): Promise<ImageRecord | undefined> {
    return this.read((idx) => {
      const complete = idx.images.filter((x) => !x.incomplete);
      const byName = complete.find((x) => x.names.includes(nameOrId) || x.digests.includes(nameOrId));
      if (byName) return byName;
      const hex = nameOrId.startsWith('sha256:') ? nameOrId.slice(7) : nameOrId;
      if (!/^[0-9a-f]{1,64}$/.test(hex)) return undefined;
      const matches = complete.filter((x) => x.id.startsWith(hex));
      if (matches.length > 1) {
        throw new BerthError(
          `image ${nameOrId}: the id prefix is ambiguous (${matches.length} images match)`,
          {
            code: 'ambiguous',
          },
        );
      }
      return matches[0];
    });
  }
}

function moveNames(idx: Index, toId: string, names: readonly string[]): void {
  const moving = new Set(names);
  for (const img of idx.images) {
    if (img.id !== toId && img.names.some((n) => moving.has(n)))
      img.names = img.names.filter((n) => !moving.has(n));
  }
}

/** Opens (creating if needed) the store at `root` and cleans up after interrupted processes. */
export async function openStore(root: string): Promise<Store> {
  const store = new Store(root);
  await store.init();
  return store;
}
