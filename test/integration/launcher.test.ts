// berth-ns, the rootless launcher, run for real as unprivileged users: it must create one pause
// process per user with the user's full subuid mapping (or a single-id mapping plus a warning),
// and later calls must join it. Self-contained: builds the launcher with cc and creates its own
// users (removed afterwards), so it needs root, cc, runuser and newuidmap.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const top = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const FULL_USER = 'berthnsfull';
const SINGLE_USER = 'berthnssingle';
const SUB_START = 400000;
const SUB_COUNT = 65536;

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `PATH="$PATH:/usr/sbin:/sbin" command -v ${cmd}`]).status === 0;
}

const canRun =
  process.getuid?.() === 0 && ['cc', 'runuser', 'useradd', 'newuidmap', 'newgidmap'].every(hasCommand);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface User {
  name: string;
  uid: number;
  gid: number;
}

let work = '';
let bin = '';
const createdUsers: string[] = [];

function idOf(name: string): User | undefined {
  const r = spawnSync('id', [name], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const uid = Number(/uid=(\d+)/.exec(r.stdout)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(r.stdout)?.[1]);
  return { name, uid, gid };
}

function subLines(file: string, u: User): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => {
      const owner = l.split(':')[0];
      return owner === u.name || owner === String(u.uid);
    });
}

/** Creates `name` unless present; with no automatic subuid allocation, then the given ranges. */
function ensureUser(name: string, ranges: { start: number; count: number }[] = []): User {
  if (!idOf(name)) {
    execFileSync('useradd', ['-M', '-K', 'SUB_UID_COUNT=0', '-K', 'SUB_GID_COUNT=0', name]);
    createdUsers.push(name);
    for (const range of ranges) {
      const spec = `${range.start}-${range.start + range.count - 1}`;
      execFileSync('usermod', ['--add-subuids', spec, '--add-subgids', spec, name]);
    }
  }
  return idOf(name)!;
}

/** A fresh XDG_RUNTIME_DIR owned by nobody yet: the launcher creates it (0700) as the user. */
function runtimeDir(tag: string): string {
  return join(work, `run-${tag}`);
}

function launch(user: User, xdg: string, args: string[], extraEnv: string[] = [], cwd = work): Run {
  const r = spawnSync(
    'runuser',
    ['-u', user.name, '--', 'env', `XDG_RUNTIME_DIR=${xdg}`, ...extraEnv, bin, ...args],
    { cwd, encoding: 'utf8', timeout: 20_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function launchAsync(user: User, xdg: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('runuser', ['-u', user.name, '--', 'env', `XDG_RUNTIME_DIR=${xdg}`, bin, ...args], {
      cwd: work,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `uid_map` text with columns normalised to single spaces. */
function normaliseMap(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).join(' '))
    .join('\n');
}

function parseEnv(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

interface ProcInfo {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  uid: number;
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    return { pid, comm, state, ppid: Number(ppid), uid };
  } catch {
    return undefined;
  }
}

/** Live (not zombie) berth-pause processes of a user. */
function livePauses(user: User): ProcInfo[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => procInfo(Number(d)))
    .filter((p): p is ProcInfo => !!p && p.uid === user.uid && p.comm === 'berth-pause' && p.state !== 'Z');
}

function pidFile(xdg: string): number {
  return Number(readFileSync(join(xdg, 'berth', 'pause.pid'), 'utf8').trim());
}

async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  // Our pid 1 may reap lazily: a zombie counts as gone.
  for (let i = 0; i < 200; i++) {
    const p = procInfo(pid);
    if (!p || p.state === 'Z') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`pause process ${pid} did not exit after SIGTERM`);
}

describe.skipIf(!canRun)('berth-ns launcher', () => {
  let full: User;
  let single: User;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'berth-ns-test-'));
    chmodSync(work, 0o777);
    bin = join(work, 'berth-ns');
    const srcDir = join(top, 'native', 'launcher');
    const sources = readdirSync(srcDir)
      .filter((f) => f.endsWith('.c'))
      .map((f) => join(srcDir, f));
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-o', bin, ...sources]);
    chmodSync(bin, 0o755);
    // Two ranges: the launcher must map every range of the user, one after another.
    full = ensureUser(FULL_USER, [
      { start: SUB_START, count: SUB_COUNT },
      { start: SUB_START + 100_000, count: 2000 },
    ]);
    single = ensureUser(SINGLE_USER);
  });

  afterAll(async () => {
    for (const user of [full, single].filter(Boolean)) {
      for (const p of livePauses(user)) await killAndWait(p.pid);
    }
    for (const name of createdUsers) spawnSync('userdel', [name]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('creates the namespaces with the full subuid/subgid mapping, then joins them', async () => {
    const xdg = runtimeDir('full');
    const expected = (own: number, file: string) =>
      [`0 ${own} 1`]
        .concat(
          subLines(file, full).reduce<{ inside: number; lines: string[] }>(
            (acc, l) => {
              const [, start, count] = l.split(':');
              acc.lines.push(`${acc.inside} ${start} ${count}`);
              acc.inside += Number(count);
              return acc;
            },
            { inside: 1, lines: [] },
          ).lines,
        )
        .join('\n');
    expect(subLines('/etc/subuid', full).length).toBeGreaterThan(1);

    const first = launch(full, xdg, ['sh', '-c', 'cat /proc/self/uid_map; echo --; cat /proc/self/gid_map']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const [uidMap, gidMap] = first.stdout.split('--\n');
    expect(normaliseMap(uidMap)).toBe(expected(full.uid, '/etc/subuid'));
    expect(normaliseMap(gidMap)).toBe(expected(full.gid, '/etc/subgid'));

    const pid = pidFile(xdg);
    const pause = procInfo(pid);
    expect(pause?.comm).toBe('berth-pause');
    expect(pause?.uid).toBe(full.uid);
    expect(pause?.ppid).not.toBe(process.pid);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '')).toBe('berth-pause');
    expect(livePauses(full).map((p) => p.pid)).toEqual([pid]);

    const second = launch(full, xdg, ['sh', '-c', 'env; echo cwd=$(pwd); id -u'], ['BERTH_LAUNCHER_DEBUG=1']);
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`^berth-ns: joined pause process ${pid} \\(full mapping\\)`));
    const env = parseEnv(second.stdout);
    expect(env.BERTH_HOST_UID).toBe(String(full.uid));
    expect(env.BERTH_HOST_GID).toBe(String(full.gid));
    expect(env.BERTH_USERNS).toBe('full');
    expect(env.BERTH_PAUSE_PID).toBe(String(pid));
    expect(env.cwd).toBe(work);
    expect(second.stdout.trim().split('\n').at(-1)).toBe('0');
    expect(livePauses(full).map((p) => p.pid)).toEqual([pid]);

    const st = spawnSync('stat', ['-c', '%a %U', join(xdg, 'berth')], { encoding: 'utf8' });
    expect(st.stdout.trim()).toBe(`700 ${full.name}`);
  });

  it('ends concurrent first calls with one pause process, and recreates it after it is killed', async () => {
    const xdg = runtimeDir('race');
    for (let round = 0; round < 2; round++) {
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => launchAsync(full, xdg, ['sh', '-c', 'echo $BERTH_PAUSE_PID'])),
      );
      for (const r of runs) expect(r.status, r.stderr).toBe(0);
      const pids = new Set(runs.map((r) => r.stdout.trim()));
      expect(pids.size).toBe(1);
      const pid = pidFile(xdg);
      expect([...pids]).toEqual([String(pid)]);
      const live = livePauses(full).map((p) => p.pid);
      expect(live).toContain(pid);
      // Other tests' pause processes (other runtime dirs) may be alive; this dir has exactly one.
      expect(
        live.filter((p) => readFileSync(`/proc/${p}/environ`, 'utf8').includes(`XDG_RUNTIME_DIR=${xdg}\0`)),
      ).toEqual([pid]);
      await killAndWait(pid);
    }
  });

  it('falls back to a single-id mapping with one warning for a user without subuids', () => {
    expect(subLines('/etc/subuid', single)).toEqual([]);
    const xdg = runtimeDir('single');
    const first = launch(single, xdg, [
      'sh',
      '-c',
      'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; echo $BERTH_USERNS',
    ]);
    expect(first.status).toBe(0);
    const warnings = first.stderr.trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Warning: no subuid\/subgid range for user berthnssingle in \/etc\/subuid/);
    expect(warnings[0]).toContain('sudo usermod --add-subuids');
    expect(normaliseMap(first.stdout).split('\n')).toEqual([
      `0 ${single.uid} 1`,
      `0 ${single.gid} 1`,
      'deny',
      'single',
    ]);

    const second = launch(single, xdg, ['sh', '-c', 'echo $BERTH_USERNS $BERTH_PAUSE_PID']);
    expect(second.status).toBe(0);
    expect(second.stderr).toBe('');
    expect(second.stdout.trim()).toBe(`single ${pidFile(xdg)}`);
  });

  it('reports a failing newuidmap with its command line and exit status, leaving no pid file', () => {
    const xdg = runtimeDir('fail');
    const fake = join(work, 'fakebin');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'newuidmap'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    chmodSync(fake, 0o755);
    const r = launch(full, xdg, ['true'], [`PATH=${fake}:/usr/bin:/bin`]);
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toMatch(
      new RegExp(
        `^Error: newuidmap \\d+ 0 ${full.uid} 1 1 ${SUB_START} ${SUB_COUNT}( \\d+ \\d+ \\d+)*: exit status 3$`,
      ),
    );
    expect(existsSync(join(xdg, 'berth', 'pause.pid'))).toBe(false);
  });

  it('refuses a runtime directory that is a symbolic link', () => {
    const xdg = runtimeDir('symlink');
    mkdirSync(xdg, { recursive: true });
    const target = join(work, 'elsewhere');
    mkdirSync(target, { recursive: true });
    symlinkSync(target, join(xdg, 'berth'));
    chmodSync(xdg, 0o777);
    const r = launch(full, xdg, ['true']);
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(/^Error: runtime directory .*\/berth: is a symbolic link/);
  });

  it('keeps the outer ids when run again inside its own namespaces, and sets root ids for root', () => {
    const xdg = runtimeDir('full');
    const nested = launch(full, xdg, [bin, 'sh', '-c', 'echo $BERTH_HOST_UID $BERTH_USERNS']);
    expect(nested.status).toBe(0);
    expect(nested.stdout.trim()).toBe(`${full.uid} full`);

    const root = spawnSync(bin, ['sh', '-c', 'echo $BERTH_HOST_UID $BERTH_HOST_GID'], {
      encoding: 'utf8',
      env: { ...process.env, BERTH_HOST_UID: '1234' },
    });
    expect(root.status).toBe(0);
    expect(root.stdout.trim()).toBe('0 0');
  });

  it('exits 125 with an Error line when the program cannot be executed', () => {
    const r = launch(full, runtimeDir('full'), ['/nonexistent/program']);
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toBe('Error: exec /nonexistent/program: No such file or directory');
  });
});
