import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, type Lock } from '../sys/flock.js';
import { BerthError } from '../util/errors.js';
import { readJson, syncDir, writeJsonAtomic } from './atomic.js';
import { currentProcessStamp, isProcessAlive, type ProcessStamp } from './process-stamp.js';

/**
 * Volume records: `volumes/<name>/volume.json` next to the data in `volumes/<name>/_data`,
 * as Docker lays them out. Creation and removal hold the volume's flock
 * (`volumes/.locks/<name>.lock`: names never start with a dot); a record under construction is
 * `incomplete`, stamped with its creator, so whatever a killed process left is removed by the
 * next one that looks, never used.
 */

/** Docker 23+ marks anonymous volumes with this label; `volume prune` without -a takes only those. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface VolumeRecord {
  name: string;
  driver: 'local';
  createdAt: string;
  labels: Record<string, string>;
  /** Driver options as given (`--opt`). */
  options: Record<string, string>;
  anonymous: boolean;
  incomplete?: boolean;
  creator?: ProcessStamp;
}

export interface VolumePaths {
  dir: string;
  record: string;
  /** What containers mount: a directory, or a symlink to the `device` of a bind volume. */
  data: string;
  lock: string;
}

export class VolumeStore {
  readonly dir: string;
  private readonly locksDir: string;

  constructor(readonly root: string) {
    this.dir = join(root, 'volumes');
    this.locksDir = join(this.dir, '.locks');
  }

  async init(): Promise<void> {
    await mkdir(this.locksDir, { recursive: true, mode: 0o700 });
  }

  paths(name: string): VolumePaths {
    const dir = join(this.dir, name);
    return {
      dir,
      record: join(dir, 'volume.json'),
      data: join(dir, '_data'),
      lock: join(this.locksDir, `${name}.lock`),
    };
  }

  /** A name for an anonymous volume: 64 hex digits, as Docker makes them. */
  newAnonymousName(): string {
    return randomBytes(32).toString('hex');
  }

  lock(name: string, timeoutMs?: number): Promise<Lock> {
    return acquireLock(this.paths(name).lock, 'exclusive', timeoutMs === undefined ? {} : { timeoutMs });
  }

  async read(name: string): Promise<VolumeRecord | undefined> {
    return readJson<VolumeRecord>(this.paths(name).record).catch(() => undefined);
  }

  async write(rec: VolumeRecord): Promise<void> {
    await writeJsonAtomic(this.paths(rec.name).record, rec, 0o600);
  }

  isAbandoned(rec: VolumeRecord): boolean {
    return !!rec.incomplete && (!rec.creator || !isProcessAlive(rec.creator));
  }

  /**
   * Makes a new volume, incomplete until `complete()`; the caller holds its lock. A directory
   * a killed creator left (record abandoned or missing) is cleared first. An existing volume
   * fails with code 'exists'.
   */
  async createLocked(
    name: string,
    init: {
      labels: Record<string, string>;
      options: Record<string, string>;
      anonymous: boolean;
      device?: string;
    },
  ): Promise<VolumeRecord> {
    const p = this.paths(name);
    const old = await this.read(name);
    if (old && !this.isAbandoned(old)) {
      throw new BerthError(`volume with name ${name} already exists`, { code: 'exists' });
    }
    // Without a record, a directory is what a create killed before its first write left.
    await rm(p.dir, { recursive: true, force: true });
    const rec: VolumeRecord = {
      name,
      driver: 'local',
      createdAt: new Date().toISOString(),
      labels: init.labels,
      options: init.options,
      anonymous: init.anonymous,
      incomplete: true,
      creator: currentProcessStamp(),
    };
    await mkdir(p.dir, { mode: 0o700 });
    await this.write(rec);
    try {
      if (init.device) await symlink(init.device, p.data);
      // The data dir is what the container sees at its mount point: 0755 like Docker's.
      else await mkdir(p.data, { mode: 0o755 });
      await syncDir(p.dir);
    } catch (e) {
      await rm(p.dir, { recursive: true, force: true });
      throw e;
    }
    return rec;
  }

  async complete(rec: VolumeRecord): Promise<void> {
    delete rec.incomplete;
    delete rec.creator;
    await this.write(rec);
  }

  /** Removes a volume's record, then its data (the caller holds its lock and checked use). */
  async removeLocked(name: string): Promise<void> {
    const p = this.paths(name);
    // The record goes first: a data dir without a record is garbage, never a volume.
    await rm(p.record, { force: true });
    // A bind volume's _data is a symlink: rm takes the link, never what it points at.
    await rm(p.dir, { recursive: true, force: true });
  }

  /**
   * Removes a lock file. Only for anonymous volumes: nobody else knows their random names, so no
   * process can be waiting on the file (a named volume's lock file stays for good).
   */
  async removeAnonymousLockFile(name: string): Promise<void> {
    await rm(this.paths(name).lock, { force: true });
  }

  /** Names of every volume directory (complete or not). */
  async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => !n.startsWith('.'));
    } catch {
      return [];
    }
  }

  /**
   * Every complete volume. Abandoned ones (and directories without a record) are removed on the
   * way, under their lock, so a crash never leaves a half-made volume visible.
   */
  async list(): Promise<VolumeRecord[]> {
    const out: VolumeRecord[] = [];
    for (const name of await this.names()) {
      const rec = await this.read(name);
      if (rec && !rec.incomplete) {
        out.push(rec);
        continue;
      }
      if (rec && !this.isAbandoned(rec)) continue;
      await this.sweep(name);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Removes `name` if it is (still) abandoned or recordless. */
  async sweep(name: string): Promise<void> {
    const lock = await this.lock(name, 0).catch(() => undefined);
    if (!lock) return;
    try {
      const rec = await this.read(name);
      if (!rec || this.isAbandoned(rec)) await this.removeLocked(name);
    } finally {
      lock.release();
    }
  }
}

export async function openVolumeStore(root: string): Promise<VolumeStore> {
  const s = new VolumeStore(root);
  await s.init();
  return s;
}
