import { BerthError } from '../util/errors.js';

/**
 * `-u` / the image's USER resolved against the image's /etc/passwd and /etc/group, with runc's
 * rules (libcontainer/user.GetExecUser), which Docker and Podman share.
 */

export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Supplementary groups: those listing the user's name, only when no group was given. */
  additionalGids: number[];
  home: string;
  /** The passwd name, when an entry matched. */
  name?: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const MAX_ID = 2 ** 31 - 1;

function lines(text: string | undefined): string[][] {
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

function toId(s: string | undefined): number | undefined {
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const f of lines(text)) {
    const uid = toId(f[2]);
    const gid = toId(f[3]);
    if (uid === undefined || gid === undefined) continue;
    out.push({ name: f[0], uid, gid, home: f[5] ?? '' });
  }
  return out;
}

export function parseGroup(text: string | undefined): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const f of lines(text)) {
    const gid = toId(f[2]);
    if (gid === undefined) continue;
    const members = (f[3] ?? '').split(',').filter((m) => m !== '');
    out.push({ name: f[0], gid, members });
  }
  return out;
}

function outOfRange(): BerthError {
  return new BerthError(`invalid user: uids and gids must be in range 0-${MAX_ID}`);
}

function checkRange(id: number): number {
  if (id > MAX_ID) throw outOfRange();
  return id;
}

/**
 * Resolves `user[:group]` (names or numeric ids). An empty or absent spec means root. A numeric
 * uid needs no passwd entry (its gid is then 0 and home `/`); an unknown name is an error.
 */
export function resolveUser(
  spec: string | undefined,
  files: { passwd?: string; group?: string } = {},
): ResolvedUser {
  const raw = spec ?? '';
  const colon = raw.indexOf(':');
  const userArg = (colon < 0 ? raw : raw.slice(0, colon)) || '0';
  const groupArg = colon < 0 ? '' : raw.slice(colon + 1);

  const result: ResolvedUser = { uid: 0, gid: 0, additionalGids: [], home: '/' };
  const numericUid = toId(userArg);
  if (userArg.startsWith('-')) throw outOfRange();
  const entry = parsePasswd(files.passwd).find((e) =>
    numericUid === undefined ? e.name === userArg : e.uid === numericUid,
  );
  if (entry) {
    Object.assign(result, { uid: entry.uid, gid: entry.gid, home: entry.home, name: entry.name });
  } else if (numericUid !== undefined) {
    result.uid = checkRange(numericUid);
  } else {
    throw new BerthError(`unable to find user ${userArg}: no matching entries in passwd file`);
  }

  const groups = parseGroup(files.group);
  if (groupArg !== '') {
    const numericGid = toId(groupArg);
    if (groupArg.startsWith('-')) throw outOfRange();
    const g = groups.find((e) => (numericGid === undefined ? e.name === groupArg : e.gid === numericGid));
    if (g) result.gid = g.gid;
    else if (numericGid !== undefined) result.gid = checkRange(numericGid);
    else throw new BerthError(`unable to find group ${groupArg}: no matching entries in group file`);
  } else if (result.name !== undefined) {
    const name = result.name;
    result.additionalGids = [...new Set(groups.filter((g) => g.members.includes(name)).map((g) => g.gid))];
  }
  return result;
}
