import { harness } from './context.js';
import { allProcesses, isUnder, mountsUnder, pausePid, type ProcInfo } from './proc.js';
import type { TestStore } from './store.js';

export interface LeakOptions {
  /** Process names (comm) a test expects to outlive it, e.g. 'slirp4netns', 'berth-monitor'. */
  allowProcesses?: string[];
}

/**
 * Throw if anything of this store is left: mounts below it (host's and the user's namespace) or
 * processes of the test user besides the pause process.
 *
 * Processes count when they run in the pause process's user namespace, or (tests as root) as the
 * test user's uid or one of its subordinate uids. Files run in parallel and share one namespace,
 * so a process is blamed on this store only when it or an ancestor names the store in its
 * command line or works below it; one that belongs to no store at all (an orphan) is always
 * reported.
 */
export function assertNoLeaks(store: TestStore, opts: LeakOptions = {}): void {
  const ctx = harness();
  const problems: string[] = [];
  const pause = pausePid(ctx.runtimeDir);
  const mounts = new Set([
    ...mountsUnder('/proc/self/mountinfo', store.dir),
    ...(pause ? mountsUnder(`/proc/${pause}/mountinfo`, store.dir) : []),
  ]);
  for (const m of mounts) problems.push(`mount left: ${m}`);

  const procs = allProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const pauseNs = pause ? byPid.get(pause)?.userNs : undefined;
  const u = ctx.user;
  const ours = (p: ProcInfo) =>
    (pauseNs !== undefined && pauseNs !== '' && p.userNs === pauseNs) ||
    (ctx.isRoot &&
      (p.uid === u.uid ||
        (u.subUidCount > 0 && p.uid >= u.subUidStart && p.uid < u.subUidStart + u.subUidCount)));
  const allowed = new Set(opts.allowProcesses ?? []);
  const mentions = (p: ProcInfo) => p.cmdline.includes(store.dir) || isUnder(p.cwd, store.dir);
  const mentionsAnyStore = (p: ProcInfo) => /berth-test-/.test(p.cmdline) || /berth-test-/.test(p.cwd);
  const lineage = (p: ProcInfo): ProcInfo[] => {
    const chain: ProcInfo[] = [];
    for (let cur: ProcInfo | undefined = p; cur && chain.length < 64; cur = byPid.get(cur.ppid))
      chain.push(cur);
    return chain;
  };
  for (const p of procs) {
    if (p.pid === process.pid || p.pid === pause || p.comm === 'berth-pause') continue;
    if (!ours(p) || allowed.has(p.comm)) continue;
    const chain = lineage(p);
    const thisStore = chain.some(mentions);
    const someStore = chain.some(mentionsAnyStore);
    if (thisStore || !someStore)
      problems.push(`process left: pid ${p.pid} uid ${p.uid} ${p.comm}: ${p.cmdline}`);
  }
  if (problems.length > 0) throw new Error(`leaks after ${store.name}:\n  ${problems.join('\n  ')}`);
}
