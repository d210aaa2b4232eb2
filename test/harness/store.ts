import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { harness } from './context.js';
import { mountsUnder, pausePid } from './proc.js';

/** A private berth store for one test file: pass it to berth() as `store`. */
export interface TestStore {
  name: string;
  /** The temp dir holding root/ and run/. */
  dir: string;
  /** --root */
  root: string;
  /** --runroot */
  runRoot: string;
  /** Unmount whatever is mounted below dir (host and the user's namespace) and remove it. */
  cleanup(): Promise<void>;
}

let counter = 0;

/** A name unique to this run and process, for containers, volumes, images: leaks stay visible. */
export function uniqueName(prefix: string): string {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 6);
  return `${prefix}-${process.pid.toString(36)}${counter}${rand}`.toLowerCase();
}

/** A new store under /var/tmp (a real filesystem, so overlay mounts nest), owned by the test user. */
export function newTestStore(name: string): TestStore {
  const ctx = harness();
  const base = existsSync('/var/tmp') ? '/var/tmp' : '/tmp';
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40);
  const dir = mkdtempSync(join(base, `berth-test-${safe}-`));
  const root = join(dir, 'root');
  const runRoot = join(dir, 'run');
  mkdirSync(root);
  mkdirSync(runRoot);
  for (const d of [dir, root, runRoot]) {
    chmodSync(d, 0o700);
    if (ctx.isRoot) chownSync(d, ctx.user.uid, ctx.user.gid);
  }
  return { name, dir, root, runRoot, cleanup: () => removeStore(dir, ctx.runtimeDir, ctx.isRoot) };
}

function run(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return true;
  } catch {
    return false;
  }
}

/**
 * Lazily unmount every mount below dir, topmost first: `umount -R` on a parent takes its children
 * along. `via` runs umount inside the user's mount namespace (nsenter ...) when given.
 */
function unmountAll(dir: string, mountinfo: string, via: string[]): void {
  for (let round = 0; round < 3; round++) {
    const mounts = mountsUnder(mountinfo, dir);
    if (mounts.length === 0) return;
    for (const m of [...mounts].reverse()) {
      if (mountsUnder(mountinfo, m).length === 0) continue;
      const argv = [...via, 'umount', '-R', '-l', m];
      run(argv[0], argv.slice(1));
    }
  }
}

export async function removeStore(dir: string, runtimeDir: string, isRoot: boolean): Promise<void> {
  const pause = pausePid(runtimeDir);
  const inNs = pause ? ['nsenter', '-t', String(pause), '-U', '-m', '--'] : [];
  if (pause) unmountAll(dir, `/proc/${pause}/mountinfo`, inNs);
  if (isRoot) unmountAll(dir, '/proc/self/mountinfo', []);
  const left = [
    ...(pause ? mountsUnder(`/proc/${pause}/mountinfo`, dir) : []),
    ...mountsUnder('/proc/self/mountinfo', dir),
  ];
  // rm -rf across a live bind mount could delete the mount's source: never do it.
  if (left.length > 0) throw new Error(`cannot remove test store ${dir}: still mounted: ${left.join(', ')}`);
  if (isRoot) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  // Files owned by subordinate ids can only be removed from inside a user namespace.
  if (pause && run(inNs[0], [...inNs.slice(1), 'rm', '-rf', dir])) return;
  if (run('unshare', ['--user', '--map-auto', '--map-root-user', 'rm', '-rf', dir])) return;
  rmSync(dir, { recursive: true, force: true });
}
