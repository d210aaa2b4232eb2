import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { berth, repoRoot } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { allProcesses, mountsUnder, pausePid } from '../harness/proc.js';
import { assertNoLeaks, waitForNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore } from '../harness/store.js';

/** Helpers shared by the container integration tests. */

/** The fields of `container inspect` the tests read. */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    OOMKilled: boolean;
    Pid: number;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
  };
  Image: string;
  Name: string;
  RestartCount: number;
  Config: {
    Hostname: string;
    Env: string[];
    Cmd: string[] | null;
    Entrypoint: string[] | string | null;
    WorkingDir: string;
    User: string;
    Labels: Record<string, string>;
    Annotations?: Record<string, string>;
    Image: string;
    Tty: boolean;
    OpenStdin: boolean;
  };
  HostConfig: Record<string, unknown>;
  Mounts: unknown[];
  NetworkSettings: Record<string, unknown>;
}

export async function inspectContainer(
  store: TestStore,
  name: string,
  as?: 'root',
): Promise<ContainerInspect> {
  const r = await berth(['container', 'inspect', name], { store, as });
  const arr = JSON.parse(r.stdout) as ContainerInspect[];
  expect(arr).toHaveLength(1);
  return arr[0];
}

/** Names of the containers `ps` (or `ps -a`) shows, sorted. */
export async function psNames(store: TestStore, all = true, as?: 'root'): Promise<string[]> {
  const r = await berth(['ps', ...(all ? ['-a'] : []), '--format', '{{.Names}}'], { store, as });
  return r.stdout
    .split('\n')
    .filter((l) => l)
    .sort();
}

/** Status of one container as `ps -a` shows it, e.g. `Up 2 seconds`, `Exited (137) 1 second ago`. */
export async function psStatus(store: TestStore, name: string, as?: 'root'): Promise<string> {
  const r = await berth(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'], { store, as });
  return r.stdout.trim();
}

/** Polls fn until it returns true or the time is up. */
export async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts berth (as the test user, or root) in its own process group; the caller waits or kills. */
export function spawnBerthPiped(
  args: string[],
  store: TestStore,
  opts: { as?: 'user' | 'root'; stdio?: 'ignore' | 'pipe' } = {},
): ChildProcess {
  const ctx = harness();
  const u = ctx.user;
  const berthBin = join(repoRoot(), 'bin', 'berth');
  const full = ['--root', store.root, '--runroot', store.runRoot, ...args];
  const path = `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${process.execPath.replace(/\/node$/, '')}`;
  const asRoot = opts.as === 'root';
  const argv =
    ctx.isRoot && !asRoot
      ? [
          'setpriv',
          '--reuid',
          String(u.uid),
          '--regid',
          String(u.gid),
          '--init-groups',
          '--',
          berthBin,
          ...full,
        ]
      : [berthBin, ...full];
  const env = asRoot
    ? { HOME: '/root', USER: 'root', PATH: path }
    : { HOME: u.home, USER: u.name, PATH: path, XDG_RUNTIME_DIR: ctx.runtimeDir };
  const stdio = opts.stdio ?? 'ignore';
  return spawn(argv[0], argv.slice(1), {
    env,
    cwd: asRoot ? '/' : u.home,
    stdio: [stdio, stdio, stdio],
    detached: true,
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * What container state a store holds on disk: container dirs, name files, runtime state, monitor
 * persist dirs and exit files (the tests run as root or as the store's owner).
 */
export function containerState(store: TestStore) {
  const isId = (n: string) => /^[0-9a-f]{64}$/.test(n);
  return {
    containerDirs: list(join(store.root, 'containers')).filter(isId),
    names: list(join(store.root, 'containers', 'names')),
    persistDirs: list(join(store.runRoot, 'containers')).filter(isId),
    exitFiles: list(join(store.runRoot, 'exits')),
    runtimeDirs: list(join(store.runRoot, 'runtime')).filter(isId),
  };
}

/** Throws unless nothing of any container is left in the store: files, mounts, monitors. */
export function assertNoContainerState(store: TestStore): void {
  const s = containerState(store);
  const problems: string[] = [];
  for (const [k, v] of Object.entries(s)) if (v.length) problems.push(`${k}: ${v.join(', ')}`);
  const ctx = harness();
  const pause = pausePid(ctx.runtimeDir);
  const mounts = [
    ...mountsUnder('/proc/self/mountinfo', store.dir),
    ...(pause ? mountsUnder(`/proc/${pause}/mountinfo`, store.dir) : []),
  ];
  for (const m of mounts) problems.push(`mount left: ${m}`);
  for (const p of monitorsOf(store)) problems.push(`monitor left: pid ${p}`);
  if (problems.length) throw new Error(`container state left in ${store.dir}:\n  ${problems.join('\n  ')}`);
}

/** Pids of berth-monitor processes working for this store. */
export function monitorsOf(store: TestStore): number[] {
  return allProcesses()
    .filter((p) => p.comm === 'berth-monitor' && p.cmdline.includes(store.runRoot))
    .map((p) => p.pid);
}

/** Removes every container of the store (best effort), for afterAll. */
export async function removeAll(store: TestStore, as?: 'root'): Promise<void> {
  const r = await berth(['ps', '-a', '-q', '--no-trunc'], { store, as }).catch(() => undefined);
  const ids = r?.stdout.split('\n').filter((l) => l) ?? [];
  if (ids.length) await berth(['rm', '-f', ...ids], { store, as }).catch(() => undefined);
}

/** Runs berth and returns whatever exit code it ends with (for errors whose code is not fixed). */
export async function berthAnyExit(
  args: string[],
  store: TestStore,
  opts: { as?: 'user' | 'root' } = {},
): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  const child = spawnBerthPiped(args, store, { ...opts, stdio: 'pipe' });
  child.stdin?.end();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { stdout, stderr, exitCode };
}

/**
 * Waits (up to timeoutMs) until no process names this store any more: a monitor's exit command
 * (`berth container cleanup`) may still be finishing after the `rm -f` that made it moot.
 */
export async function settle(store: TestStore, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!allProcesses().some((p) => p.pid !== process.pid && p.cmdline.includes(store.dir))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A test file's own store: made when the file loads, the image pulled before its tests, and at
 * the end emptied of containers, checked for leaks and removed.
 */
export function fileStore(name: string, opts: { pull?: string; leaks?: 'wait' | 'assert' } = {}): TestStore {
  const store = newTestStore(name);
  beforeAll(async () => {
    if (opts.pull) await berth(['pull', '-q', opts.pull], { store });
  });
  afterAll(async () => {
    await removeAll(store);
    await settle(store);
    if (opts.leaks === 'assert') assertNoLeaks(store);
    else await waitForNoLeaks(store);
    await store.cleanup();
  });
  return store;
}
