import { execFile } from 'node:child_process';
import { chmod, lchown, lstat, mkdir, readdir, readlink, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  bindOptions,
  cleanPath,
  imageVolumesToCreate,
  type MountRequestEntry,
  parseMountRequests,
  parseVolumesFrom,
} from '../../spec/mount-requests.js';
import type { MountSpec } from '../../spec/options.js';
import { ANONYMOUS_LABEL, type VolumeStore } from '../../storage/volumes.js';
import { BerthError, errorMessage, wrapError } from '../../util/errors.js';
import { debug, warn } from '../../util/log.js';
import { createVolumeLocked, openVolumes, volumeUsers } from '../volumes.js';
import { type Container, type ContainerEngine, noSuchContainer } from './common.js';

const run = promisify(execFile);

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
  /** Volumes this call created: a create that fails later removes them (discardMounts). */
  createdVolumes?: string[];
}

export function emptyMountRequest(): MountRequest {
  return { volumes: [], mounts: [], volumesFrom: [] };
}

/** The volume a mount source is the data dir of (`<volumes>/<name>/_data`), if any. */
export function volumeNameOf(source: string, volumesDir: string): string | undefined {
  const m = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)\/_data$/.exec(relative(volumesDir, source));
  return m ? m[1] : undefined;
}

/**
 * A path of the container's rootfs as the container would see it: symlinks (absolute ones
 * too) resolve inside `root`, `..` stops at it. Undefined when some part does not exist.
 */
export async function resolveInRoot(root: string, path: string): Promise<string | undefined> {
  const parts = path.split('/').filter((p) => p && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (parts.length) {
    const part = parts.shift() as string;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = join(root, ...done, part);
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(host);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++links > 40) return undefined;
    const target = await readlink(host);
    if (target.startsWith('/')) done.length = 0;
    parts.unshift(...target.split('/').filter((p) => p && p !== '.'));
  }
  return join(root, ...done);
}

/**
 * Docker's copy-up: a volume mounted over an image directory with content starts with that
 * content, owners and modes kept (berth runs inside its user namespace, so `cp -a` maps them);
 * the volume's root takes the directory's owner and mode too.
 */
async function copyUp(rootfs: string, destination: string, data: string): Promise<void> {
  const src = await resolveInRoot(rootfs, destination);
  if (!src) return;
  const st = await stat(src).catch(() => undefined);
  if (!st?.isDirectory()) return;
  const dataDir = await stat(data);
  if (!dataDir.isDirectory()) return;
  if ((await readdir(src)).length) {
    try {
      await run('cp', ['-a', '--', `${src}/.`, `${data}/`]);
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr?.trim();
      throw new BerthError(
        `copying ${destination} of the image into its volume: ${stderr || errorMessage(e)}`,
      );
    }
  }
  // The data dir itself (not a bind volume's link): `${data}/.` resolves the link.
  await lchown(`${data}/.`, st.uid, st.gid).catch((e) => debug(`copy-up: chown ${data}: ${errorMessage(e)}`));
  await chmod(`${data}/.`, st.mode & 0o7777);
}

/** `U`: the source belongs to the container's user, recursively (symlinks themselves, not their targets). */
async function chownTree(path: string, user: { uid: number; gid: number }): Promise<void> {
  try {
    await run('chown', ['-R', '-h', '--', `${user.uid}:${user.gid}`, `${path}/.`]);
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new BerthError(`chown of ${path} for the U option: ${stderr || errorMessage(e)}`);
  }
}

interface Ctx {
  id: string;
  rootfs: string;
  imageVolumes: string[];
  /** The container's user, for the `U` option; root when absent. */
  user?: { uid: number; gid: number };
}

/** Mounts taken from --volumes-from containers: their binds and volumes, in their own mode or the one given. */
async function mountsFrom(e: ContainerEngine, specs: string[]): Promise<MountSpec[]> {
  const mounts: MountSpec[] = [];
  for (const raw of specs) {
    const { container, mode } = parseVolumesFrom(raw);
    const src = await e.containers.find<Container['config']>(container);
    if (!src || src.incomplete || !src.config) throw noSuchContainer(container);
    const userdata = e.containers.paths(src.id).userdata;
    for (const m of src.config.options.mounts) {
      if (m.type === 'tmpfs' || m.source.startsWith(`${userdata}/`)) continue;
      // A later --volumes-from does not replace a destination an earlier one gave (Docker keeps the first).
      if (mounts.some((x) => x.destination === m.destination)) continue;
      let options = m.options;
      if (mode)
        options = [...m.options.filter((o) => o !== 'ro' && o !== 'rw'), ...(mode === 'ro' ? ['ro'] : [])];
      mounts.push({ ...m, options });
    }
  }
  return mounts;
}

/** Removes volumes a failed create made. */
async function removeCreated(store: VolumeStore, names: string[]): Promise<void> {
  for (const name of names) {
    const lock = await store.lock(name, 10_000).catch(() => undefined);
    if (!lock) continue;
    try {
      await store.removeLocked(name);
    } catch (err) {
      warn(`removing volume ${name} after a failed create: ${errorMessage(err)}`);
    } finally {
      lock.release();
    }
  }
}

/**
 * Resolves the user's mounts at create, after the rootfs is mounted (copy-up reads it).
 * Anything that fails removes the volumes this call made.
 */
export async function prepareMounts(
  e: ContainerEngine,
  req: MountRequest,
  ctx: Ctx,
): Promise<PreparedMounts> {
  const entries = parseMountRequests(req);
  const hasImageVolumes = ctx.imageVolumes.length > 0;
  if (!entries.length && !req.volumesFrom.length && !hasImageVolumes) {
    return { mounts: [], anonymousVolumes: [], namedVolumes: [] };
  }
  const store = await openVolumes(e.ctx);
  const created: string[] = [];
  const anonymousVolumes: string[] = [];
  const namedVolumes: string[] = [];
  const mounts: MountSpec[] = [];
  const user = ctx.user ?? { uid: 0, gid: 0 };
  try {
    const mine = new Set(entries.map((m) => m.destination));
    const from = await mountsFrom(e, req.volumesFrom);
    // The user's own -v/--mount win over what --volumes-from brings to the same place.
    for (const m of from) {
      if (mine.has(cleanPath(m.destination))) continue;
      mounts.push(m);
      // Shared, not owned: `rm -v` of this container leaves them to the one that made them.
      const name = volumeNameOf(m.source, store.dir);
      if (name) namedVolumes.push(name);
    }
    const all: MountRequestEntry[] = [
      ...entries,
      ...imageVolumesToCreate(ctx.imageVolumes, [...mine, ...mounts.map((m) => m.destination)]).map(
        (destination): MountRequestEntry => ({
          kind: 'volume',
          destination,
          readOnly: false,
          noCopy: false,
          chown: false,
        }),
      ),
    ];
    for (const m of all) {
      if (m.kind !== 'tmpfs' && m.relabel)
        debug(`${m.destination}: SELinux relabel (${m.relabel}) ignored: no SELinux here`);
      if (m.kind === 'tmpfs') {
        mounts.push({ type: 'tmpfs', source: 'tmpfs', destination: m.destination, options: m.options });
      } else if (m.kind === 'bind') {
        const st = await stat(m.source).catch(() => undefined);
        if (!st) {
          if (!m.createSource) {
            throw new BerthError(
              `invalid mount config for type "bind": bind source path does not exist: ${m.source}`,
            );
          }
          // Docker creates a missing -v source as a directory.
          await mkdir(m.source, { recursive: true, mode: 0o755 }).catch((err) => {
            throw wrapError(`creating bind source ${m.source}`, err);
          });
        }
        if (m.chown) await chownTree(m.source, user);
        mounts.push({ type: 'bind', source: m.source, destination: m.destination, options: bindOptions(m) });
      } else {
        const anonymous = m.name === undefined;
        const name = m.name ?? store.newAnonymousName();
        const labels = { ...(m.labels ?? {}) };
        if (anonymous) labels[ANONYMOUS_LABEL] = '';
        if (m.driver !== undefined && m.driver !== 'local') {
          throw new BerthError(`volume driver "${m.driver}" is not supported`, {
            hint: 'berth has the local driver only',
          });
        }
        const populate = m.noCopy ? undefined : (data: string) => copyUp(ctx.rootfs, m.destination, data);
        const r = await createVolumeLocked(
          store,
          name,
          { labels, options: m.options ?? {}, anonymous },
          populate,
          {
            populateEmpty: true,
          },
        );
        if (r.created) created.push(name);
        const data = store.paths(name).data;
        if (m.chown) await chownTree(data, user);
        (anonymous ? anonymousVolumes : namedVolumes).push(name);
        mounts.push({ type: 'volume', source: data, destination: m.destination, options: bindOptions(m) });
      }
    }
    return { mounts, anonymousVolumes, namedVolumes: [...new Set(namedVolumes)], createdVolumes: created };
  } catch (err) {
    await removeCreated(store, created);
    throw err;
  }
}

/** A create that failed after prepareMounts: the volumes it made go. */
export async function discardMounts(e: ContainerEngine, prepared: PreparedMounts): Promise<void> {
  if (!prepared.createdVolumes?.length) return;
  await removeCreated(await openVolumes(e.ctx), prepared.createdVolumes);
}

/** After the container is removed: anonymous volumes go with `rm -v`, unless another container uses them. */
export async function releaseMounts(
  e: ContainerEngine,
  rec: Container,
  opts: { removeAnonymous: boolean },
): Promise<void> {
  const names = rec.config.anonymousVolumes ?? [];
  if (!opts.removeAnonymous || !names.length) return;
  const store = await openVolumes(e.ctx);
  for (const name of names) {
    const lock = await store.lock(name, 10_000).catch(() => undefined);
    if (!lock) {
      warn(`volume ${name} is busy: not removed`);
      continue;
    }
    let removed = false;
    try {
      const users = ((await volumeUsers(e.ctx)).get(name) ?? []).filter((id) => id !== rec.id);
      if (users.length) debug(`volume ${name} is still used by ${users.join(', ')}: kept`);
      else if (await store.read(name)) {
        await store.removeLocked(name);
        removed = true;
      }
    } catch (err) {
      warn(`removing volume ${name}: ${errorMessage(err)}`);
    } finally {
      lock.release();
    }
    if (removed) await store.removeAnonymousLockFile(name);
  }
}

/** Docker's `Mounts` of container inspect: the user's binds, volumes and tmpfs mounts. */
export function inspectMounts(
  mounts: MountSpec[],
  paths: { userdata: string; volumesDir: string },
): Record<string, unknown>[] {
  const prop = (m: MountSpec) =>
    m.options.find((o) => ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'].includes(o)) ?? '';
  return mounts
    .filter((m) => !m.source.startsWith(`${paths.userdata}/`))
    .map((m) => {
      const rw = !m.options.includes('ro');
      const name = m.type === 'tmpfs' ? undefined : volumeNameOf(m.source, paths.volumesDir);
      if (name) {
        return {
          Type: 'volume',
          Name: name,
          Source: m.source,
          Destination: m.destination,
          Driver: 'local',
          Mode: '',
          RW: rw,
          Propagation: '',
        };
      }
      if (m.type === 'tmpfs') {
        return { Type: 'tmpfs', Source: '', Destination: m.destination, Mode: '', RW: rw, Propagation: '' };
      }
      return {
        Type: 'bind',
        Source: m.source,
        Destination: m.destination,
        Mode: '',
        RW: rw,
        Propagation: prop(m),
      };
    });
}
