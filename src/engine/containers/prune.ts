import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError, errorMessage } from '../../util/errors.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';
import { parseTimeSpec } from './logs.js';
import { removeContainer } from './remove.js';

export interface PruneReport {
  /** Ids of the removed containers. */
  deleted: string[];
  /** Bytes of their writable layers. */
  reclaimed: number;
  /** Containers that could not be removed, with why. */
  errors: { id: string; error: string }[];
}

function labelMatches(labels: Record<string, string>, want: string): boolean {
  const i = want.indexOf('=');
  return i < 0 ? want in labels : labels[want.slice(0, i)] === want.slice(i + 1);
}

/**
 * Pure: Docker's prune filters as a predicate: `until=` (created before a time or duration
 * ago), `label=KEY[=VALUE]` and `label!=KEY[=VALUE]`; every filter must hold.
 */
export function pruneFilter(filters: string[], now: Date = new Date()): (rec: Container) => boolean {
  const checks: ((rec: Container) => boolean)[] = [];
  for (const f of filters) {
    const i = f.indexOf('=');
    if (i <= 0) throw new BerthError(`invalid filter "${f}": want key=value`);
    const key = f.slice(0, i);
    const value = f.slice(i + 1);
    if (key === 'until') {
      const until = parseTimeSpec(value, now);
      checks.push((r) => BigInt(Date.parse(r.created)) * 1_000_000n < until);
    } else if (key === 'label') {
      checks.push((r) => labelMatches(r.config.labels ?? {}, value));
    } else if (key === 'label!') {
      checks.push((r) => !labelMatches(r.config.labels ?? {}, value));
    } else {
      throw new BerthError(`invalid filter "${key}": container prune supports until, label and label!`);
    }
  }
  return (rec) => checks.every((c) => c(rec));
}

/** Bytes under a directory, without following symlinks; what cannot be read counts as nothing. */
export async function dirSize(path: string): Promise<number> {
  let total = 0;
  let entries: string[];
  try {
    const st = await lstat(path);
    if (!st.isDirectory()) return st.size;
    entries = await readdir(path);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const p = join(path, name);
    const st = await lstat(p).catch(() => undefined);
    if (!st) continue;
    total += st.isDirectory() ? await dirSize(p) : st.size;
  }
  return total;
}

/** Removes every stopped (created or exited) container the filters select. */
export async function pruneContainers(
  e: ContainerEngine,
  opts: { filters?: string[] } = {},
): Promise<PruneReport> {
  const keep = pruneFilter(opts.filters ?? []);
  const report: PruneReport = { deleted: [], reclaimed: 0, errors: [] };
  for (const rec of await reconcile(e)) {
    if (rec.state.status !== 'exited' && rec.state.status !== 'created') continue;
    if (!keep(rec)) continue;
    const size = await dirSize(e.containers.paths(rec.id).upper);
    try {
      await removeContainer(e, rec.id, { force: false });
      report.deleted.push(rec.id);
      report.reclaimed += size;
    } catch (err) {
      report.errors.push({ id: rec.id, error: errorMessage(err) });
    }
  }
  return report;
}
