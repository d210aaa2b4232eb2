import { posix } from 'node:path';
import { BerthError } from '../util/errors.js';
import type { OciMount } from './oci.js';
import type { MountSpec } from './options.js';

/** Where `--init`'s binary appears in the container. */
export const INIT_PATH = '/run/berth-init';

export interface DefaultMountContext {
  rootless: boolean;
  /** `--network host`: the container shares berth's network namespace. */
  hostNetwork: boolean;
  privileged: boolean;
  /** Whether a cgroup filesystem may be mounted at /sys/fs/cgroup (see generate.ts). */
  cgroupMount: boolean;
}

const NODEV_NOEXEC = ['nosuid', 'noexec', 'nodev'];

/**
 * The filesystems every container gets, in mount order (Docker's and Podman's set).
 *
 * Rootless: devpts gets no `gid=5` (gid 5 may not be mapped in berth's user namespace and the
 * mount would fail), and with --network host /sys is a recursive read-only bind of berth's own
 * /sys, because the kernel lets a user namespace mount sysfs only in a network namespace it owns.
 */
export function defaultMounts(ctx: DefaultMountContext): OciMount[] {
  const ro = ctx.privileged ? [] : ['ro'];
  const devpts = ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'];
  if (!ctx.rootless) devpts.push('gid=5');
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: [...NODEV_NOEXEC] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: devpts },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: [...NODEV_NOEXEC, 'mode=1777', 'size=65536k'],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: [...NODEV_NOEXEC] },
  ];
  if (ctx.rootless && ctx.hostNetwork) {
    // The bind is recursive, so /sys/fs/cgroup comes with it.
    mounts.push({
      destination: '/sys',
      type: 'bind',
      source: '/sys',
      options: ['rbind', 'rprivate', ...NODEV_NOEXEC, ...ro],
    });
  } else {
    mounts.push({ destination: '/sys', type: 'sysfs', source: 'sysfs', options: [...NODEV_NOEXEC, ...ro] });
    if (ctx.cgroupMount) {
      mounts.push({
        destination: '/sys/fs/cgroup',
        type: 'cgroup',
        source: 'cgroup',
        options: [...NODEV_NOEXEC, 'relatime', ...ro],
      });
    }
  }
  return mounts;
}

/** Options that cancel each other: the later one wins. */
const OPPOSITES: Record<string, string> = {
  ro: 'rw',
  exec: 'noexec',
  suid: 'nosuid',
  dev: 'nodev',
  atime: 'noatime',
  diratime: 'nodiratime',
  relatime: 'norelatime',
  strictatime: 'nostrictatime',
};
const PROPAGATION = [
  'private',
  'rprivate',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'unbindable',
  'runbindable',
];

function optionGroup(opt: string): string {
  const eq = opt.indexOf('=');
  if (eq >= 0) return opt.slice(0, eq);
  if (PROPAGATION.includes(opt)) return 'propagation';
  for (const [a, b] of Object.entries(OPPOSITES)) if (opt === a || opt === b) return a;
  return opt;
}

/** Merges option lists where a later option replaces an earlier one of the same kind (`exec` after `noexec`). */
export function mergeMountOptions(...lists: string[][]): string[] {
  const byGroup = new Map<string, string>();
  for (const list of lists) {
    for (const opt of list) {
      if (opt === '') continue;
      const group = optionGroup(opt);
      byGroup.delete(group);
      byGroup.set(group, opt);
    }
  }
  return [...byGroup.values()];
}

function cleanDestination(dest: string, what: string): string {
  if (!dest.startsWith('/'))
    throw new BerthError(`invalid ${what}: destination ${JSON.stringify(dest)} must be an absolute path`);
  const clean = posix.normalize(dest).replace(/(.)\/+$/, '$1');
  if (clean === '/') throw new BerthError(`invalid ${what}: destination can't be '/'`);
  return clean;
}

/** `--tmpfs /path[:opts]`; options are the mount(8) ones, e.g. `rw,size=64m,mode=1777`. */
export function parseTmpfs(spec: string): MountSpec {
  const colon = spec.indexOf(':');
  const dest = colon < 0 ? spec : spec.slice(0, colon);
  const opts =
    colon < 0
      ? []
      : spec
          .slice(colon + 1)
          .split(',')
          .filter((o) => o !== '');
  return {
    type: 'tmpfs',
    source: 'tmpfs',
    destination: cleanDestination(dest, 'tmpfs mount'),
    options: opts,
  };
}

/**
 * A user mount in OCI form. Binds (and volumes, which are binds of the volume's directory) are
 * recursive and private unless the user chose otherwise; tmpfs mounts are noexec, nosuid and
 * nodev unless the user says `exec` etc., as Docker does.
 */
export function toOciMount(m: MountSpec): OciMount {
  const destination = cleanDestination(m.destination, 'mount');
  if (m.type === 'tmpfs') {
    return {
      destination,
      type: 'tmpfs',
      source: 'tmpfs',
      options: mergeMountOptions(['noexec', 'nosuid', 'nodev', 'rprivate'], m.options),
    };
  }
  const base = m.options.includes('bind') || m.options.includes('rbind') ? [] : ['rbind'];
  const propagation = m.options.some((o) => PROPAGATION.includes(o)) ? [] : ['rprivate'];
  return { destination, type: 'bind', source: m.source, options: [...base, ...m.options, ...propagation] };
}

function depth(dest: string): number {
  return dest.split('/').length - 1;
}

/**
 * The final mount list: defaults first (minus any the user replaced by mounting on the same
 * destination), then the user's, parents before children so nothing is hidden by a later
 * mount. Two user mounts on one destination are an error.
 */
export function assembleMounts(defaults: OciMount[], user: MountSpec[]): OciMount[] {
  const converted = user.map(toOciMount);
  const seen = new Set<string>();
  for (const m of converted) {
    if (seen.has(m.destination)) throw new BerthError(`duplicate mount destination: ${m.destination}`);
    seen.add(m.destination);
  }
  const sorted = [...converted].sort((a, b) => depth(a.destination) - depth(b.destination));
  return [...defaults.filter((d) => !seen.has(d.destination)), ...sorted];
}
