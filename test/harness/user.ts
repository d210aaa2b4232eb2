import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/** The unprivileged user integration tests run berth as, when they run as root. */
export const TEST_USER = 'berthtest';
/** A user with no subuid ranges, for the warning test. */
export const NOSUB_USER = 'berthnosub';

export interface BerthUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** First range in /etc/subuid (start 0, count 0 when none). */
  subUidStart: number;
  subUidCount: number;
  subGidStart: number;
  subGidCount: number;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7)
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] }));
}

/** The first subordinate range of a user (matched by name or uid), or count 0. */
export function subRange(text: string, name: string, uid: number): { start: number; count: number } {
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.trim().split(':');
    if (count === undefined) continue;
    if (owner === name || owner === String(uid)) return { start: Number(start), count: Number(count) };
  }
  return { start: 0, count: 0 };
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The user berth() runs as: `berthtest` when the tests run as root, else the current user.
 * Throws with the fix when the user does not exist.
 */
export function berthUser(name?: string): BerthUser {
  const wanted = name ?? (process.getuid!() === 0 ? TEST_USER : userInfo().username);
  const entry = parsePasswd(readOr('/etc/passwd')).find((e) => e.name === wanted);
  if (!entry) throw new Error(`test user ${wanted} does not exist: run 'sudo scripts/setup-host.sh'`);
  const sub = subRange(readOr('/etc/subuid'), entry.name, entry.uid);
  const subg = subRange(readOr('/etc/subgid'), entry.name, entry.uid);
  return {
    ...entry,
    subUidStart: sub.start,
    subUidCount: sub.count,
    subGidStart: subg.start,
    subGidCount: subg.count,
  };
}
