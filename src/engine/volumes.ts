import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validateVolumeName } from '../spec/mount-requests.js';
import { openContainerStore } from '../storage/containers.js';
import { ANONYMOUS_LABEL, openVolumeStore, type VolumeRecord, type VolumeStore } from '../storage/volumes.js';
import { BerthError, errorMessage, isBerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import type { EngineContext } from './context.js';

/** `volume create|ls|inspect|rm|prune|exists`: the local driver, Docker's behaviour. */

export interface VolumeCreateOptions {
  name?: string;
  driver?: string;
  labels?: Record<string, string>;
  options?: Record<string, string>;
}

export interface VolumeReport {
  record: VolumeRecord;
  mountpoint: string;
  /** Ids of the containers that use it (any state). */
  usedBy: string[];
}

export function noSuchVolume(name: string): BerthError {
  return new BerthError(`no such volume: ${name}`, { code: 'not-found' });
}

/**
 * The local driver's options: none, or Docker's bind form (`type=none`, `o=bind`,
 * `device=/abs/path`), whose data lives at the device. Mounting filesystems (tmpfs, nfs) needs
 * a mount at first use that berth does not do: refused clearly.
 */
export function localDriverDevice(options: Record<string, string>): string | undefined {
  const keys = Object.keys(options);
  for (const k of keys) {
    if (k !== 'type' && k !== 'o' && k !== 'device') throw new BerthError(`invalid option key: "${k}"`);
  }
  if (keys.length === 0) return undefined;
  const o = (options.o ?? '').split(',').filter((x) => x);
  if (options.type === 'none' && o.includes('bind') && options.device) {
    if (!options.device.startsWith('/'))
      throw new BerthError(`invalid device "${options.device}": must be an absolute path`);
    return options.device;
  }
  throw new BerthError(
    `local volume options ${keys.map((k) => `${k}=${options[k]}`).join(',')} are not supported`,
    { hint: 'only bind volumes are: --opt type=none --opt o=bind --opt device=/path' },
  );
}

/** Volume name -> ids of containers whose records name it. */
export async function volumeUsers(ctx: EngineContext): Promise<Map<string, string[]>> {
  const containers = await openContainerStore(ctx.paths.root, ctx.paths.runRoot);
  const users = new Map<string, string[]>();
  for (const rec of await containers.list<{ anonymousVolumes?: string[]; namedVolumes?: string[] }>({
    includeIncomplete: true,
  })) {
    if (!rec.config) continue;
    for (const v of new Set([...(rec.config.anonymousVolumes ?? []), ...(rec.config.namedVolumes ?? [])])) {
      users.set(v, [...(users.get(v) ?? []), rec.id]);
    }
  }
  return users;
}

export async function openVolumes(ctx: EngineContext): Promise<VolumeStore> {
  return openVolumeStore(ctx.paths.root);
}

/**
 * Creates a volume under its lock; `existing: 'reuse'` returns one that exists (Docker's
 * `volume create` and `-v name:/path` both do), 'fail' refuses it.
 */
export async function createVolumeLocked(
  store: VolumeStore,
  name: string,
  init: { labels: Record<string, string>; options: Record<string, string>; anonymous: boolean },
  populate?: (data: string) => Promise<void>,
  opts: { populateEmpty?: boolean } = {},
): Promise<{ record: VolumeRecord; created: boolean }> {
  const device = localDriverDevice(init.options);
  const lock = await store.lock(name);
  try {
    const old = await store.read(name);
    if (old && !old.incomplete) {
      // Docker copies the image's content into any empty volume it mounts, not only new ones.
      if (populate && opts.populateEmpty && (await isEmptyDir(store.paths(name).data))) {
        await populate(store.paths(name).data);
      }
      return { record: old, created: false };
    }
    if (old && !store.isAbandoned(old)) {
      throw new BerthError(`volume ${name} is being created by another process`, { code: 'conflict' });
    }
    const rec = await store.createLocked(name, { ...init, device });
    try {
      if (populate) await populate(store.paths(name).data);
      await store.complete(rec);
    } catch (e) {
      await store.removeLocked(name).catch(() => undefined);
      throw e;
    }
    return { record: rec, created: true };
  } finally {
    lock.release();
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return false;
  }
}

export async function createVolume(ctx: EngineContext, opts: VolumeCreateOptions): Promise<VolumeRecord> {
  if (opts.driver !== undefined && opts.driver !== 'local') {
    throw new BerthError(`volume driver "${opts.driver}" is not supported`, {
      hint: 'berth has the local driver only',
    });
  }
  const store = await openVolumes(ctx);
  const anonymous = opts.name === undefined || opts.name === '';
  const name = anonymous ? store.newAnonymousName() : (opts.name as string);
  validateVolumeName(name);
  const labels = { ...(opts.labels ?? {}) };
  if (anonymous) labels[ANONYMOUS_LABEL] = '';
  const { record } = await createVolumeLocked(store, name, {
    labels,
    options: { ...(opts.options ?? {}) },
    anonymous,
  });
  return record;
}

function report(store: VolumeStore, record: VolumeRecord, users: Map<string, string[]>): VolumeReport {
  return { record, mountpoint: store.paths(record.name).data, usedBy: users.get(record.name) ?? [] };
}

export async function getVolume(ctx: EngineContext, name: string): Promise<VolumeReport> {
  const store = await openVolumes(ctx);
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw noSuchVolume(name);
  const rec = await store.read(name);
  if (!rec || rec.incomplete) throw noSuchVolume(name);
  return report(store, rec, await volumeUsers(ctx));
}

export async function volumeExists(ctx: EngineContext, name: string): Promise<boolean> {
  try {
    await getVolume(ctx, name);
    return true;
  } catch (e) {
    if (isBerthError(e) && e.code === 'not-found') return false;
    throw e;
  }
}

/** Docker's `volume inspect` JSON. */
export function inspectVolumeJson(r: VolumeReport): Record<string, unknown> {
  const rec = r.record;
  return {
    CreatedAt: rec.createdAt.replace(/\.\d+Z$/, 'Z'),
    Driver: rec.driver,
    Labels: Object.keys(rec.labels).length ? rec.labels : null,
    Mountpoint: r.mountpoint,
    Name: rec.name,
    Options: Object.keys(rec.options).length ? rec.options : null,
    Scope: 'local',
  };
}

export async function inspectVolume(ctx: EngineContext, name: string): Promise<Record<string, unknown>> {
  return inspectVolumeJson(await getVolume(ctx, name));
}

type Filter = { key: string; value: string };

function parseFilters(filters: string[], allowed: string[]): Filter[] {
  return filters.map((f) => {
    const i = f.indexOf('=');
    if (i <= 0) throw new BerthError(`invalid filter "${f}": want key=value`);
    const key = f.slice(0, i);
    const value = f.slice(i + 1);
    if (!allowed.includes(key))
      throw new BerthError(`invalid filter "${key}": supported: ${allowed.join(', ')}`);
    if (key === 'dangling' && !['true', 'false', '1', '0'].includes(value.toLowerCase())) {
      throw new BerthError(`invalid filter "dangling=${value}": want true or false`);
    }
    if (key === 'name') {
      try {
        new RegExp(value);
      } catch (e) {
        throw new BerthError(`invalid filter "name=${value}": ${errorMessage(e)}`);
      }
    }
    return { key, value };
  });
}

function labelMatches(labels: Record<string, string>, want: string): boolean {
  const i = want.indexOf('=');
  return i < 0 ? want in labels : labels[want.slice(0, i)] === want.slice(i + 1);
}

function matches(r: VolumeReport, f: Filter): boolean {
  switch (f.key) {
    case 'name':
      return new RegExp(f.value).test(r.record.name);
    case 'label':
      return labelMatches(r.record.labels, f.value);
    case 'label!':
      return !labelMatches(r.record.labels, f.value);
    case 'dangling': {
      const want = f.value === 'true' || f.value === '1';
      return (r.usedBy.length === 0) === want;
    }
    case 'driver':
      return r.record.driver === f.value;
  }
  return false;
}

/** Filters of one key OR together, different keys AND (Docker's rule). */
function applyFilters(reports: VolumeReport[], filters: Filter[]): VolumeReport[] {
  const byKey = new Map<string, Filter[]>();
  for (const f of filters) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  return reports.filter((r) =>
    [...byKey.entries()].every(([k, fs]) =>
      // `label!=` excludes: every one of them must hold.
      k === 'label!' ? fs.every((f) => matches(r, f)) : fs.some((f) => matches(r, f)),
    ),
  );
}

export async function listVolumes(
  ctx: EngineContext,
  opts: { filters?: string[] } = {},
): Promise<VolumeReport[]> {
  const filters = parseFilters(opts.filters ?? [], ['name', 'label', 'dangling', 'driver']);
  const store = await openVolumes(ctx);
  const users = await volumeUsers(ctx);
  const all = (await store.list()).map((r) => report(store, r, users));
  return applyFilters(all, filters);
}

export interface VolumeRemoveReport {
  name: string;
  error?: BerthError;
}

function inUse(name: string, ids: string[]): BerthError {
  return new BerthError(`volume ${name} is in use - [${ids.map((i) => i.slice(0, 12)).join(', ')}]`, {
    code: 'conflict',
    hint: 'remove the container(s) using it first',
  });
}

/** Removes one volume under its lock, refusing one a container uses (Docker refuses even with -f). */
async function removeOne(ctx: EngineContext, store: VolumeStore, name: string): Promise<void> {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw noSuchVolume(name);
  const lock = await store.lock(name);
  let anonymous = false;
  try {
    const rec = await store.read(name);
    if (!rec || (rec.incomplete && !store.isAbandoned(rec))) throw noSuchVolume(name);
    const users = (await volumeUsers(ctx)).get(name) ?? [];
    if (users.length) throw inUse(name, users);
    anonymous = rec.anonymous;
    await store.removeLocked(name);
  } finally {
    lock.release();
  }
  if (anonymous) await store.removeAnonymousLockFile(name);
}

export async function removeVolumes(
  ctx: EngineContext,
  names: string[],
  opts: { force?: boolean } = {},
): Promise<VolumeRemoveReport[]> {
  const store = await openVolumes(ctx);
  const out: VolumeRemoveReport[] = [];
  for (const name of names) {
    try {
      await removeOne(ctx, store, name);
      out.push({ name });
    } catch (e) {
      const err = isBerthError(e) ? e : new BerthError(`removing volume ${name}: ${errorMessage(e)}`);
      // -f: a volume that is not there is not an error (Docker).
      if (opts.force && err.code === 'not-found') continue;
      out.push({ name, error: err });
    }
  }
  return out;
}

/** Bytes under a directory (not following links): what a prune reclaims. */
export async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  let entries: string[];
  try {
    const st = await lstat(dir);
    if (!st.isDirectory()) return st.isSymbolicLink() ? 0 : st.size;
    entries = await readdir(dir);
  } catch {
    return 0;
  }
  for (const e of entries) total += await diskUsage(join(dir, e));
  return total;
}

/**
 * Removes unused volumes: anonymous ones only unless `all` (Docker 23+). `label=` / `label!=`
 * filters narrow it.
 */
export async function pruneVolumes(
  ctx: EngineContext,
  opts: { all?: boolean; filters?: string[] } = {},
): Promise<{ deleted: string[]; reclaimed: number; errors: BerthError[] }> {
  const filters = parseFilters(opts.filters ?? [], ['label', 'label!', 'all']);
  let all = !!opts.all;
  const rest: Filter[] = [];
  for (const f of filters) {
    if (f.key === 'all') all = all || f.value === 'true' || f.value === '1';
    else rest.push(f);
  }
  const store = await openVolumes(ctx);
  const users = await volumeUsers(ctx);
  const candidates = applyFilters(
    (await store.list()).map((r) => report(store, r, users)),
    rest,
  ).filter((r) => r.usedBy.length === 0 && (all || r.record.anonymous));
  const deleted: string[] = [];
  const errors: BerthError[] = [];
  let reclaimed = 0;
  for (const c of candidates) {
    // A bind volume's data is the user's directory: removing the volume never touches it.
    const size = c.record.options.device ? 0 : await diskUsage(c.mountpoint);
    try {
      await removeOne(ctx, store, c.record.name);
      deleted.push(c.record.name);
      reclaimed += size;
    } catch (e) {
      if (isBerthError(e) && e.code === 'conflict') {
        debug(`prune: ${e.message}`);
        continue;
      }
      errors.push(
        isBerthError(e) ? e : new BerthError(`removing volume ${c.record.name}: ${errorMessage(e)}`),
      );
    }
  }
  return { deleted, reclaimed, errors };
}
