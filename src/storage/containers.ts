import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, type Lock, tryLock } from '../sys/flock.js';
import { BerthError } from '../util/errors.js';
import { readJson, writeJsonAtomic } from './atomic.js';
import type { StorageDriver } from './driver-probe.js';
import { currentProcessStamp, isProcessAlive, type ProcessStamp } from './process-stamp.js';

/**
 * Container records: one JSON file per container (`containers/<id>/container.json`), so many
 * berth processes can create and change containers at once without a global index. Names are
 * reserved with O_EXCL files under `containers/names/`, which makes them unique without a lock.
 * A record under construction is `incomplete`, stamped with its creator; once that process is
 * gone, anything may remove it.
 */

export type ContainerStatus = 'created' | 'running' | 'paused' | 'stopping' | 'exited' | 'removing';

export interface ContainerState {
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
  restartCount: number;
  monitorPid?: number;
  /** Set by stop/kill so restart policies know the user wanted it down. */
  stoppedByUser?: boolean;
  error?: string;
}

export interface ContainerRecord<Config = unknown> {
  id: string;
  name: string;
  /** What the user typed, e.g. `busybox`. */
  imageRef: string;
  /** Image id (config digest hex). */
  imageId: string;
  /** Image layers, bottom first: what the rootfs mounts. */
  layers: string[];
  driver: StorageDriver;
  created: string;
  /** Everything needed to (re)generate the spec and to inspect: the create options. */
  config: Config;
  state: ContainerState;
  incomplete?: boolean;
  creator?: ProcessStamp;
}

export interface ContainerPaths {
  /** containers/<id>: the record, userdata, overlay upper/work/merged, the log. */
  dir: string;
  record: string;
  userdata: string;
  bundle: string;
  upper: string;
  work: string;
  rootfs: string;
  log: string;
  /** runroot/containers/<id>: the monitor's persist dir (attach socket, ctl fifo, pid files). */
  persist: string;
  exitFile: string;
  lock: string;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function validateName(name: string): void {
  if (!NAME_RE.test(name) || name.length > 253) {
    throw new BerthError(`invalid container name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
}

export class ContainerStore {
  readonly dir: string;
  private readonly namesDir: string;
  private readonly locksDir: string;

  constructor(
    readonly root: string,
    readonly runRoot: string,
  ) {
    this.dir = join(root, 'containers');
    this.namesDir = join(this.dir, 'names');
    this.locksDir = join(this.dir, 'locks');
  }

  async init(): Promise<void> {
    await mkdir(this.namesDir, { recursive: true });
    await mkdir(this.locksDir, { recursive: true });
    await mkdir(join(this.runRoot, 'exits'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.runRoot, 'containers'), { recursive: true, mode: 0o700 });
  }

  paths(id: string): ContainerPaths {
    const dir = join(this.dir, id);
    const userdata = join(dir, 'userdata');
    const persist = join(this.runRoot, 'containers', id);
    return {
      dir,
      record: join(dir, 'container.json'),
      userdata,
      bundle: userdata,
      upper: join(dir, 'diff'),
      work: join(dir, 'work'),
      rootfs: join(dir, 'merged'),
      log: join(userdata, 'ctr.log'),
      persist,
      exitFile: join(this.runRoot, 'exits', id),
      lock: join(this.locksDir, `${id}.lock`),
    };
  }

  /** The runtime's state directory (`runc --root`). */
  runtimeRoot(): string {
    return join(this.runRoot, 'runtime');
  }

  newId(): string {
    return randomBytes(32).toString('hex');
  }

  /** Exclusive per-container lock for state changes (start, stop, cleanup, remove). */
  lock(id: string, timeoutMs?: number): Promise<Lock> {
    return acquireLock(this.paths(id).lock, 'exclusive', timeoutMs === undefined ? {} : { timeoutMs });
  }

  async read<C>(id: string): Promise<ContainerRecord<C> | undefined> {
    return readJson<ContainerRecord<C>>(this.paths(id).record).catch(() => undefined);
  }

  async write<C>(rec: ContainerRecord<C>): Promise<void> {
    await writeJsonAtomic(this.paths(rec.id).record, rec, 0o600);
  }

  /**
   * Writes a new, incomplete record and reserves its name. A taken name fails with a hint
   * about --replace, after the record is removed again.
   */
  async create<C>(rec: Omit<ContainerRecord<C>, 'incomplete' | 'creator'>): Promise<ContainerRecord<C>> {
    validateName(rec.name);
    const full: ContainerRecord<C> = { ...rec, incomplete: true, creator: currentProcessStamp() };
    // The directory and its record appear under the container's lock: a directory without a
    // record whose lock is free is what a killed create or remove left (see list()).
    const lock = await this.lock(rec.id);
    try {
      await mkdir(this.paths(rec.id).userdata, { recursive: true, mode: 0o700 });
      await this.write(full);
    } finally {
      lock.release();
    }
    try {
      await writeFile(join(this.namesDir, rec.name), rec.id, { flag: 'wx' });
    } catch (e) {
      await rm(this.paths(rec.id).dir, { recursive: true, force: true });
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        const holder = await this.nameHolder(rec.name);
        throw new BerthError(
          `creating container storage: the container name "${rec.name}" is already in use by ${holder?.slice(0, 12) ?? 'another container'}`,
          {
            code: 'conflict',
            hint: 'You have to remove (or rename) that container to be able to reuse that name, or use --replace.',
          },
        );
      }
      throw e;
    }
    return full;
  }

  async nameHolder(name: string): Promise<string | undefined> {
    try {
      return (await readFile(join(this.namesDir, name), 'utf8')).trim();
    } catch {
      return undefined;
    }
  }

  async rename(id: string, from: string, to: string): Promise<void> {
    validateName(to);
    try {
      await writeFile(join(this.namesDir, to), id, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new BerthError(`renaming container: the name "${to}" is already in use`, { code: 'conflict' });
      }
      throw e;
    }
    const rec = await this.read(id);
    if (!rec) {
      await unlink(join(this.namesDir, to)).catch(() => undefined);
      throw new BerthError(`no such container: ${id}`, { code: 'not-found' });
    }
    rec.name = to;
    await this.write(rec);
    if ((await this.nameHolder(from)) === id) await unlink(join(this.namesDir, from)).catch(() => undefined);
  }

  /** Every record, including incomplete ones when asked (ps shows only complete ones). */
  async list<C>(opts: { includeIncomplete?: boolean } = {}): Promise<ContainerRecord<C>[]> {
    let ids: string[];
    try {
      ids = (await readdir(this.dir)).filter((n) => /^[0-9a-f]{64}$/.test(n));
    } catch {
      return [];
    }
    const recs = await Promise.all(ids.map((id) => this.read<C>(id)));
    await Promise.all(ids.filter((_, i) => !recs[i]).map((id) => this.sweep(id)));
    return recs.filter((r): r is ContainerRecord<C> => !!r && (opts.includeIncomplete || !r.incomplete));
  }

  /** Removes a container directory left without a record, unless someone holds its lock. */
  private async sweep(id: string): Promise<void> {
    const lock = tryLock(this.paths(id).lock, 'exclusive');
    if (!lock) return;
    try {
      if (await this.read(id)) return;
      await rm(this.paths(id).dir, { recursive: true, force: true });
      await rm(this.paths(id).persist, { recursive: true, force: true });
      await rm(this.paths(id).lock, { force: true });
    } finally {
      lock.release();
    }
  }

  /**
   * A container by full id, unique id prefix, or name (incomplete ones included, so `rm -f`
   * can clear what a killed create left). Ambiguous prefixes are an error.
   */
  async find<C>(nameOrId: string): Promise<ContainerRecord<C> | undefined> {
    const byName = await this.nameHolder(nameOrId);
    if (byName) {
      const rec = await this.read<C>(byName);
      if (rec) return rec;
    }
    const all = await this.list<C>({ includeIncomplete: true });
    const named = all.find((r) => r.name === nameOrId);
    if (named) return named;
    if (!/^[0-9a-f]+$/.test(nameOrId)) return undefined;
    const matches = all.filter((r) => r.id.startsWith(nameOrId));
    if (matches.length > 1) {
      throw new BerthError(
        `container ${nameOrId}: the id prefix is ambiguous (${matches.length} containers match)`,
        {
          code: 'ambiguous',
        },
      );
    }
    return matches[0];
  }

  /** A name file whose record is gone: what a killed create or remove can leave. */
  async danglingName(name: string): Promise<string | undefined> {
    const id = await this.nameHolder(name);
    if (id && !(await this.read(id))) return id;
    return undefined;
  }

  async releaseName(name: string, id: string): Promise<void> {
    if ((await this.nameHolder(name)) === id) await unlink(join(this.namesDir, name)).catch(() => undefined);
  }

  /** Removes the record and its directories (the caller has stopped and unmounted it). */
  async removeFiles(id: string, name: string | undefined): Promise<void> {
    const p = this.paths(id);
    await rm(p.exitFile, { force: true });
    await rm(p.persist, { recursive: true, force: true });
    // The record goes first: a half-deleted directory without a record is just garbage.
    await rm(p.record, { force: true });
    if (name) await this.releaseName(name, id);
    await rm(p.dir, { recursive: true, force: true });
    await rm(p.lock, { force: true });
  }

  isAbandoned(rec: ContainerRecord): boolean {
    return !!rec.incomplete && (!rec.creator || !isProcessAlive(rec.creator));
  }
}

export async function openContainerStore(root: string, runRoot: string): Promise<ContainerStore> {
  const s = new ContainerStore(root, runRoot);
  await s.init();
  return s;
}
