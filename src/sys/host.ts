import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';

export type CgroupMode = 'v2' | 'hybrid' | 'v1' | 'none';

/** Pure: the cgroup layout from /proc/self/mountinfo text. */
export function cgroupModeFromMountinfo(mountinfo: string): CgroupMode {
  let v1 = false;
  let v2Root = false;
  let v2Elsewhere = false;
  for (const line of mountinfo.split('\n')) {
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (sep < 0) continue;
    const mountPoint = parts[4];
    const fstype = parts[sep + 1];
    if (!mountPoint?.startsWith('/sys/fs/cgroup')) continue;
    if (fstype === 'cgroup2') {
      if (mountPoint === '/sys/fs/cgroup') v2Root = true;
      else v2Elsewhere = true;
    } else if (fstype === 'cgroup') v1 = true;
  }
  if (v2Root) return 'v2';
  if (v1 && v2Elsewhere) return 'hybrid';
  if (v1) return 'v1';
  return 'none';
}

export function cgroupMode(): CgroupMode {
  try {
    return cgroupModeFromMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return 'none';
  }
}

export interface IdMapEntry {
  containerId: number;
  hostId: number;
  size: number;
}

/** Pure: parses /proc/PID/uid_map or gid_map text. */
export function parseIdMap(text: string): IdMapEntry[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length === 3 && p.every((x) => /^\d+$/.test(x)))
    .map(([c, h, s]) => ({ containerId: Number(c), hostId: Number(h), size: Number(s) }));
}

export function readIdMaps(): { uidMap: IdMapEntry[]; gidMap: IdMapEntry[] } {
  return {
    uidMap: parseIdMap(readFileSync('/proc/self/uid_map', 'utf8')),
    gidMap: parseIdMap(readFileSync('/proc/self/gid_map', 'utf8')),
  };
}

/** The first executable called `name` on PATH (plus the sbin dirs a user's PATH may lack). */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [
    ...path.split(delimiter),
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}
