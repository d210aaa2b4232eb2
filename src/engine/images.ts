import type { ImageConfig } from '../image/image-config.js';
import {
  familiarName,
  familiarRepository,
  formatReference,
  type ImageReference,
  parseNormalized,
  parseReference,
} from '../image/reference.js';
import { type ImageRecord, openStore, type Store } from '../storage/store.js';
import { BerthError, errorMessage } from '../util/errors.js';
import type { EngineContext } from './context.js';

/** Image operations over the store: find, list, inspect, tag, remove, prune. */

export function noSuchImage(name: string): BerthError {
  return new BerthError(`No such image: ${name}`, { code: 'not-found' });
}

/**
 * Finds an image the way Docker does: as a reference first (short names normalised to
 * docker.io), then as a full or unique-prefix id.
 */
export async function findImage(store: Store, nameOrId: string): Promise<ImageRecord | undefined> {
  let ref: ImageReference | undefined;
  try {
    ref = parseNormalized(nameOrId);
  } catch {
    ref = undefined;
  }
  if (ref) {
    const byName = await store.findImage(
      ref.digest ? formatReference({ ...ref, tag: undefined }) : formatReference(ref),
    );
    if (byName) return byName;
    if (ref.digest) {
      // `name:tag@digest` and `name@digest` both mean "the image with that manifest".
      const all = await store.listImages();
      const found = all.find(
        (img) => img.manifestDigest === ref!.digest || img.digests.some((d) => d.endsWith(`@${ref!.digest}`)),
      );
      if (found) return found;
    }
  }
  if (/^(sha256:)?[0-9a-f]{1,64}$/.test(nameOrId)) return store.findImage(nameOrId);
  return undefined;
}

export async function requireImage(store: Store, nameOrId: string): Promise<ImageRecord> {
  const img = await findImage(store, nameOrId);
  if (!img) throw noSuchImage(nameOrId);
  return img;
}

export async function readConfig(store: Store, img: ImageRecord): Promise<ImageConfig> {
  try {
    return JSON.parse((await store.readBlob(img.configDigest)).toString()) as ImageConfig;
  } catch (e) {
    throw new BerthError(`reading the config of image ${img.id.slice(0, 12)}: ${errorMessage(e)}`);
  }
}

export async function imageSize(store: Store, img: ImageRecord): Promise<number> {
  let size = 0;
  for (const id of img.layers) size += (await store.getLayer(id))?.size ?? 0;
  return size;
}

// ----- list -----

export interface ImageSummary {
  id: string;
  /** Familiar repository, or undefined for a dangling image. */
  repository?: string;
  tag?: string;
  digest?: string;
  created: string;
  size: number;
  labels: Record<string, string>;
}

export interface ListImagesOptions {
  all?: boolean;
  filters?: string[];
}

interface ParsedFilters {
  reference: string[];
  dangling?: boolean;
  label: string[];
  before?: string;
  since?: string;
}

export function parseImageFilters(filters: string[]): ParsedFilters {
  const out: ParsedFilters = { reference: [], label: [] };
  for (const f of filters) {
    const i = f.indexOf('=');
    if (i <= 0) throw new BerthError(`invalid filter "${f}": want key=value`);
    const key = f.slice(0, i);
    const value = f.slice(i + 1);
    switch (key) {
      case 'reference':
        out.reference.push(value);
        break;
      case 'dangling':
        if (value !== 'true' && value !== 'false')
          throw new BerthError(`invalid filter "${f}": dangling takes true or false`);
        out.dangling = value === 'true';
        break;
      case 'label':
        out.label.push(value);
        break;
      case 'before':
        out.before = value;
        break;
      case 'since':
        out.since = value;
        break;
      default:
        throw new BerthError(`invalid filter "${key}": supported: reference, dangling, label, before, since`);
    }
  }
  return out;
}

/** Go's path.Match for the reference filter: `*` and `?` within a path segment, [classes]. */
export function globMatch(pattern: string, s: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) return false;
      re += `[${pattern
        .slice(i + 1, end)
        .replace(/^\^/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`${re}$`).test(s);
  } catch {
    return false;
  }
}

/**
 * Docker's reference.FamiliarMatch: the pattern against `repo:tag`, then against the repository
 * alone (a `:` in the pattern may be a registry's port, not a tag).
 */
function referenceMatches(pattern: string, name: string): boolean {
  const ref = parseNormalized(name);
  const repo = familiarRepository(ref);
  return globMatch(pattern, `${repo}:${ref.tag ?? ''}`) || globMatch(pattern, repo);
}

function labelMatches(labels: Record<string, string>, want: string): boolean {
  const i = want.indexOf('=');
  if (i < 0) return want in labels;
  return labels[want.slice(0, i)] === want.slice(i + 1);
}

export async function listImages(ctx: EngineContext, opts: ListImagesOptions): Promise<ImageSummary[]> {
  const store = await openStore(ctx.paths.root);
  const filters = parseImageFilters(opts.filters ?? []);
  const images = await store.listImages();
  const created = (img: ImageRecord) => Date.parse(img.created) || 0;
  const pivot = async (name: string) => {
    const img = await requireImage(store, name);
    return created(img);
  };
  const before = filters.before ? await pivot(filters.before) : undefined;
  const since = filters.since ? await pivot(filters.since) : undefined;
  const rows: ImageSummary[] = [];
  for (const img of images.sort((a, b) => created(b) - created(a))) {
    if (filters.dangling !== undefined && (img.names.length === 0) !== filters.dangling) continue;
    if (before !== undefined && created(img) >= before) continue;
    if (since !== undefined && created(img) <= since) continue;
    const config = await readConfig(store, img);
    const labels = config.config?.Labels ?? {};
    if (!filters.label.every((l) => labelMatches(labels, l))) continue;
    const size = await imageSize(store, img);
    const base = { id: img.id, created: img.created, size, labels };
    const digestFor = (repoName: string) => {
      const d = img.digests.find((x) => x.startsWith(`${repoName}@`));
      return d ? d.slice(d.indexOf('@') + 1) : undefined;
    };
    if (img.names.length === 0) {
      if (filters.reference.length) continue;
      // Untagged but pulled by digest: Docker shows the repository with tag <none>.
      const first = img.digests[0];
      const repository = first
        ? familiarRepository(parseReference(first.slice(0, first.indexOf('@'))))
        : undefined;
      rows.push({ ...base, repository, digest: first ? first.slice(first.indexOf('@') + 1) : undefined });
      continue;
    }
    for (const name of img.names) {
      if (filters.reference.length && !filters.reference.some((p) => referenceMatches(p, name))) continue;
      const ref = parseReference(name);
      const repoName = name.slice(0, name.length - (ref.tag ? ref.tag.length + 1 : 0));
      rows.push({ ...base, repository: familiarRepository(ref), tag: ref.tag, digest: digestFor(repoName) });
    }
  }
  return rows;
}

// ----- inspect -----

/** Docker's `image inspect` JSON for one image. */
export async function inspectImage(ctx: EngineContext, nameOrId: string): Promise<Record<string, unknown>> {
  const store = await openStore(ctx.paths.root);
  const img = await requireImage(store, nameOrId);
  const config = await readConfig(store, img);
  const size = await imageSize(store, img);
  const familiarDigests = img.digests.map((d) => {
    const at = d.indexOf('@');
    return `${familiarRepository(parseReference(d.slice(0, at)))}${d.slice(at)}`;
  });
  const layerDirs = await store.layerDiffPaths([...img.layers].reverse()).catch(() => [] as string[]);
  return {
    Id: `sha256:${img.id}`,
    RepoTags: img.names.map((n) => familiarName(parseReference(n))),
    RepoDigests: familiarDigests,
    Parent: '',
    Comment: config.history?.[config.history.length - 1]?.comment ?? '',
    Created: config.created ?? img.created,
    DockerVersion: (config.docker_version as string | undefined) ?? '',
    Author: config.author ?? '',
    Config: {
      Hostname: '',
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: null,
      Cmd: null,
      Image: '',
      Volumes: null,
      WorkingDir: '',
      Entrypoint: null,
      OnBuild: null,
      Labels: null,
      ...(config.config ?? {}),
    },
    Architecture: config.architecture,
    ...(config.variant ? { Variant: config.variant } : {}),
    Os: config.os,
    Size: size,
    VirtualSize: size,
    GraphDriver: {
      Name: 'overlay',
      Data: { LowerDir: layerDirs.join(':') },
    },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
    ManifestDigest: img.manifestDigest,
  };
}

export async function imageExists(ctx: EngineContext, nameOrId: string): Promise<boolean> {
  const store = await openStore(ctx.paths.root);
  return (await findImage(store, nameOrId)) !== undefined;
}

// ----- tag -----

export async function tagImage(ctx: EngineContext, source: string, target: string): Promise<void> {
  const ref = parseNormalized(target);
  if (ref.digest) throw new BerthError(`refusing to create a tag with a digest reference: ${target}`);
  const store = await openStore(ctx.paths.root);
  const img = await requireImage(store, source);
  await store.addNames(img.id, [formatReference(ref)]);
}

// ----- remove -----

export interface RemoveImageResult {
  target: string;
  untagged: string[];
  deleted: string[];
  error?: BerthError;
}

/** Which containers (ids) use an image. */
export type ImageUsers = (imageId: string) => Promise<string[]>;

/** Containers of the store whose rootfs is built on an image (any state: Docker's rule). */
export function containerUsers(ctx: EngineContext): ImageUsers {
  let recs: Promise<{ id: string; imageId: string }[]> | undefined;
  return async (imageId) => {
    recs ??= (async () => {
      const { openContainerStore } = await import('../storage/containers.js');
      const store = await openContainerStore(ctx.paths.root, ctx.paths.runRoot);
      return store.list({ includeIncomplete: true });
    })();
    return (await recs).filter((r) => r.imageId === imageId).map((r) => r.id);
  };
}

/** Podman's `rmi -f`: the containers using the image go first. */
async function removeUsers(ctx: EngineContext, ids: string[]): Promise<void> {
  const [{ openContainerEngine }, { removeContainer }] = await Promise.all([
    import('./containers/common.js'),
    import('./containers/remove.js'),
  ]);
  const e = await openContainerEngine(ctx);
  for (const id of ids) await removeContainer(e, id, { force: true });
}

export async function removeImages(
  ctx: EngineContext,
  targets: string[],
  opts: { force?: boolean; usersOf?: ImageUsers },
): Promise<RemoveImageResult[]> {
  const store = await openStore(ctx.paths.root);
  const results: RemoveImageResult[] = [];
  for (const target of targets) {
    const r: RemoveImageResult = { target, untagged: [], deleted: [] };
    results.push(r);
    try {
      const img = await requireImage(store, target);
      let named: string | undefined;
      try {
        const ref = parseNormalized(target);
        const full = formatReference(ref);
        if (img.names.includes(full)) named = full;
      } catch {
        named = undefined;
      }
      if (named && img.names.length > 1) {
        await store.removeNames(img.id, [named]);
        r.untagged.push(familiarName(parseReference(named)));
        continue;
      }
      if (!named && img.names.length > 1 && !opts.force) {
        throw new BerthError(
          `conflict: unable to delete ${img.id.slice(0, 12)} (must be forced) - image is referenced in multiple repositories`,
          { code: 'conflict' },
        );
      }
      const users = await (opts.usersOf ?? containerUsers(ctx))(img.id);
      if (users.length && !opts.force) {
        throw new BerthError(
          `conflict: unable to remove image ${img.id.slice(0, 12)}: image is in use by container ${users[0].slice(0, 12)}`,
          {
            code: 'conflict',
            hint: 'remove the container first, or use --force (which removes the container too)',
          },
        );
      }
      if (users.length) await removeUsers(ctx, users);
      const report = await store.removeImage(img.id);
      r.untagged.push(...report.image.names.map((n) => familiarName(parseReference(n))));
      for (const d of report.image.digests) {
        const at = d.indexOf('@');
        r.untagged.push(`${familiarRepository(parseReference(d.slice(0, at)))}${d.slice(at)}`);
      }
      r.deleted.push(`sha256:${img.id}`);
    } catch (e) {
      r.error = e instanceof BerthError ? e : new BerthError(errorMessage(e));
    }
  }
  return results;
}

export interface PruneReport {
  deleted: string[];
  untagged: string[];
  reclaimed: number;
}

export async function pruneImages(
  ctx: EngineContext,
  opts: { all?: boolean; filters?: string[]; usersOf?: ImageUsers },
): Promise<PruneReport> {
  const store = await openStore(ctx.paths.root);
  const filters = parseImageFilters(opts.filters ?? []);
  if (filters.reference.length || filters.dangling !== undefined) {
    throw new BerthError('image prune: supported filters are label, before and since');
  }
  const report: PruneReport = { deleted: [], untagged: [], reclaimed: 0 };
  const usersOf = opts.usersOf ?? containerUsers(ctx);
  for (const img of await store.listImages()) {
    if (!opts.all && img.names.length > 0) continue;
    if ((await usersOf(img.id)).length) continue;
    const labels = (await readConfig(store, img)).config?.Labels ?? {};
    if (!filters.label.every((l) => labelMatches(labels, l))) continue;
    const size = await imageSize(store, img);
    const r = await store.removeImage(img.id);
    report.untagged.push(...r.image.names.map((n) => familiarName(parseReference(n))));
    report.deleted.push(`sha256:${img.id}`, ...r.removedLayers.map((l) => `sha256:${l}`));
    report.reclaimed += size;
  }
  return report;
}
