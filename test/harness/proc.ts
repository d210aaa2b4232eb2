import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The pid of the user's berth pause process (keeps its user+mount namespaces), if it is alive. */
export function pausePid(runtimeDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(runtimeDir, 'berth', 'pause.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    readFileSync(`/proc/${pid}/stat`);
    return pid;
  } catch {
    return undefined;
  }
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** Mount points listed in a mountinfo file (empty when unreadable). */
export function mountPoints(mountinfoPath: string): string[] {
  let text: string;
  try {
    text = readFileSync(mountinfoPath, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => unescapeMount(l.split(' ')[4] ?? ''));
}

export function isUnder(path: string, dir: string): boolean {
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === d || path.startsWith(`${d}/`);
}

/** Mount points at or below dir, deepest first. */
export function mountsUnder(mountinfoPath: string, dir: string): string[] {
  return mountPoints(mountinfoPath)
    .filter((m) => isUnder(m, dir))
    .sort((a, b) => b.length - a.length);
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  uid: number;
  cmdline: string;
  /** The inode link of /proc/<pid>/ns/user, e.g. "user:[4026531837]" ('' when unreadable). */
  userNs: string;
  cwd: string;
  /** One-letter state from /proc/<pid>/status: R, S, D, Z (zombie), ... */
  state: string;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function linkOr(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

export function processInfo(pid: number): ProcInfo | undefined {
  const status = readOr(`/proc/${pid}/status`);
  if (!status) return undefined;
  const field = (name: string) => status.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))?.[1] ?? '';
  return {
    pid,
    ppid: Number(field('PPid')),
    comm: field('Name'),
    // Real uid: what ps shows as the owner.
    uid: Number(field('Uid').split(/\s+/)[0]),
    cmdline: readOr(`/proc/${pid}/cmdline`).split('\0').join(' ').trim(),
    userNs: linkOr(`/proc/${pid}/ns/user`),
    cwd: linkOr(`/proc/${pid}/cwd`),
    state: field('State').slice(0, 1),
  };
}

export function allProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = processInfo(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/** Where a process's open file descriptors point (paths, pipe:[..], socket:[..]). */
export function fdTargets(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.map((fd) => linkOr(`/proc/${pid}/fd/${fd}`)).filter(Boolean);
}

/**
 * The mountinfo line of a process's root mount. A container's root is an overlay whose options
 * name the store's layer dirs, so this ties a container process to its store even after its
 * monitor is gone.
 */
export function rootMountLine(pid: number): string {
  const text = readOr(`/proc/${pid}/mountinfo`);
  return text.split('\n').find((l) => l.split(' ')[4] === '/') ?? '';
}
