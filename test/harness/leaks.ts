import { harness } from './context.js';
import {
  allProcesses,
  fdTargets,
  isUnder,
  mountsUnder,
  pausePid,
  type ProcInfo,
  rootMountLine,
} from './proc.js';
import type { TestStore } from './store.js';

export interface LeakOptions {
  /** Process names (comm) a test expects to outlive it, e.g. 'slirp4netns', 'berth-monitor'. */
  allowProcesses?: string[];
  /**
   * Also report the test user's processes that belong to no store at all (orphans). Off by
   * default: on a shared machine other people's work runs as the test user too.
   */
  strict?: boolean;
}

/**
 * Throw if anything of this store is left: mounts below it (the host's and the user's
 * namespace) or processes of the test user that belong to it, besides the pause process.
 *
 * Candidates are processes in the pause process's user namespace, or (tests as root) running as
 * the test user's uid or one of its subordinate uids. Test files run in parallel and share one
 * namespace, so a candidate is blamed on this store when it or an ancestor names the store in its
 * command line, works below it, holds a file below it open, or has a root mount built from it
 * (a container). Zombies are skipped: their parent is about to reap them.
 */
export function assertNoLeaks(store: TestStore, opts: LeakOptions = {}): void {
  const problems = findLeaks(store, opts);
  if (problems.length > 0) throw new Error(`leaks after ${store.name}:\n  ${problems.join('\n  ')}`);
}

/**
 * assertNoLeaks, retried for a while: monitors and their exit commands finish asynchronously
 * after a container stops, so a check right after `stop` or `rm` may be early.
 */
export async function waitForNoLeaks(store: TestStore, opts: LeakOptions & { timeoutMs?: number } = {}) {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const problems = findLeaks(store, opts);
    if (problems.length === 0) return;
    if (Date.now() >= deadline) throw new Error(`leaks after ${store.name}:\n  ${problems.join('\n  ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function findLeaks(store: TestStore, opts: LeakOptions = {}): string[] {
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
  const candidate = (p: ProcInfo) =>
    (pauseNs !== undefined && pauseNs !== '' && p.userNs === pauseNs) ||
    (ctx.isRoot &&
      (p.uid === u.uid ||
        (u.subUidCount > 0 && p.uid >= u.subUidStart && p.uid < u.subUidStart + u.subUidCount)));
  const allowed = new Set(opts.allowProcesses ?? []);
  const ties = (p: ProcInfo, dir: string) =>
    p.cmdline.includes(dir) ||
    isUnder(p.cwd, dir) ||
    fdTargets(p.pid).some((t) => isUnder(t, dir)) ||
    rootMountLine(p.pid).includes(dir);
  const tiesAnyStore = (p: ProcInfo) =>
    /\/(var\/)?tmp\/berth-test-/.test(
      [p.cmdline, p.cwd, ...fdTargets(p.pid), rootMountLine(p.pid)].join(' '),
    );
  // Up through the test user's own processes only: above them sit the harness and vitest, whose
  // command lines and files say nothing about who owns a leak.
  const lineage = (p: ProcInfo): ProcInfo[] => {
    const chain: ProcInfo[] = [];
    let cur: ProcInfo | undefined = p;
    while (cur && cur.pid > 1 && cur.pid !== pause && candidate(cur) && chain.length < 64) {
      chain.push(cur);
      cur = byPid.get(cur.ppid);
    }
    return chain;
  };
  for (const p of procs) {
    if (p.pid === process.pid || p.pid === pause || p.comm === 'berth-pause' || p.state === 'Z') continue;
    if (!candidate(p) || allowed.has(p.comm)) continue;
    const chain = lineage(p);
    if (chain.some((q) => ties(q, store.dir))) {
      problems.push(`process left: pid ${p.pid} uid ${p.uid} ${p.comm}: ${p.cmdline}`);
    } else if (opts.strict && !chain.some(tiesAnyStore)) {
      problems.push(`process left (no store): pid ${p.pid} uid ${p.uid} ${p.comm}: ${p.cmdline}`);
    }
  }
  return problems;
}
