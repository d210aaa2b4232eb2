import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type CgroupMode, cgroupMode, findExecutable } from '../sys/host.js';
import { BerthError } from '../util/errors.js';

const run = promisify(execFile);

export type RuntimeName = 'crun' | 'runc';

export interface RuntimeChoice {
  name: RuntimeName;
  path: string;
  /** Why this one: shown by `berth info`. */
  reason: string;
}

/**
 * Pure: which OCI runtime to use. crun is preferred (faster start), but crun 1.8 refuses
 * hybrid cgroup layouts ("cgroups in hybrid mode not supported"), so there runc is used.
 */
export function chooseRuntime(
  found: Partial<Record<RuntimeName, string>>,
  mode: CgroupMode,
  requested?: string,
): RuntimeChoice {
  if (requested) {
    const path = requested.includes('/') ? requested : found[requested as RuntimeName];
    if (!path) throw new BerthError(`OCI runtime "${requested}" not found`, { hint: 'install runc or crun' });
    const name = (requested.endsWith('crun') ? 'crun' : 'runc') as RuntimeName;
    return { name, path, reason: 'selected with --runtime' };
  }
  if (found.crun && mode !== 'hybrid') return { name: 'crun', path: found.crun, reason: 'crun preferred' };
  if (found.runc) {
    const reason = found.crun
      ? 'crun does not support hybrid cgroups; using runc'
      : 'crun not installed; using runc';
    return { name: 'runc', path: found.runc, reason };
  }
  if (found.crun)
    return { name: 'crun', path: found.crun, reason: 'runc not installed; crun may fail on hybrid cgroups' };
  throw new BerthError('no OCI runtime found: neither crun nor runc is on PATH', {
    hint: 'Install one, e.g. `sudo apt-get install runc`',
  });
}

export function findRuntimes(): Partial<Record<RuntimeName, string>> {
  const found: Partial<Record<RuntimeName, string>> = {};
  for (const n of ['crun', 'runc'] as const) {
    const p = findExecutable(n);
    if (p) found[n] = p;
  }
  return found;
}

export function detectRuntime(requested?: string): RuntimeChoice {
  return chooseRuntime(findRuntimes(), cgroupMode(), requested ?? process.env.BERTH_RUNTIME);
}

/** First line of `<tool> --version`, or undefined when it does not answer. */
export async function toolVersion(path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 5000 });
    return stdout.split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}
