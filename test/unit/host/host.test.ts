import { describe, expect, it } from 'vitest';
import { chooseRuntime } from '../../../src/runtime/detect.js';
import { cgroupModeFromMountinfo, parseIdMap } from '../../../src/sys/host.js';
import { defaultPaths } from '../../../src/sys/paths.js';

const line = (mp: string, fs: string) => `30 25 0:26 / ${mp} rw,nosuid shared:4 - ${fs} ${fs} rw`;

describe('host facts', () => {
  it('tells the cgroup layout from mountinfo', () => {
    expect(cgroupModeFromMountinfo([line('/sys/fs/cgroup', 'cgroup2')].join('\n'))).toBe('v2');
    expect(
      cgroupModeFromMountinfo(
        [
          line('/sys/fs/cgroup', 'tmpfs'),
          line('/sys/fs/cgroup/cpu', 'cgroup'),
          line('/sys/fs/cgroup/unified', 'cgroup2'),
        ].join('\n'),
      ),
    ).toBe('hybrid');
    expect(cgroupModeFromMountinfo([line('/sys/fs/cgroup/cpu', 'cgroup')].join('\n'))).toBe('v1');
    expect(cgroupModeFromMountinfo('')).toBe('none');
  });

  it('parses id maps', () => {
    expect(parseIdMap('         0       1001          1\n         1     100000      65536\n')).toEqual([
      { containerId: 0, hostId: 1001, size: 1 },
      { containerId: 1, hostId: 100000, size: 65536 },
    ]);
  });

  it('prefers crun but falls back to runc on hybrid cgroups', () => {
    const both = { crun: '/usr/bin/crun', runc: '/usr/bin/runc' };
    expect(chooseRuntime(both, 'v2').name).toBe('crun');
    expect(chooseRuntime(both, 'hybrid')).toMatchObject({
      name: 'runc',
      reason: expect.stringContaining('hybrid'),
    });
    expect(chooseRuntime({ runc: '/usr/bin/runc' }, 'v2').name).toBe('runc');
    expect(() => chooseRuntime({}, 'v2')).toThrow(/no OCI runtime found/);
    expect(chooseRuntime(both, 'hybrid', 'crun').name).toBe('crun');
  });

  it('puts rootless state under XDG dirs and root state under /var/lib and /run', () => {
    const user = { uid: 1000, gid: 1000, rootless: true };
    expect(defaultPaths(user, { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' })).toEqual({
      root: '/home/u/.local/share/berth',
      runRoot: '/run/user/1000/berth',
      configDir: '/home/u/.config/berth',
      runRootFallback: false,
    });
    expect(defaultPaths(user, { HOME: '/home/u' }).runRoot).toBe('/tmp/berth-1000');
    expect(defaultPaths({ uid: 0, gid: 0, rootless: false }, {}).root).toBe('/var/lib/berth');
    expect(defaultPaths(user, { HOME: '/h' }, { root: '/x' }).root).toBe('/x');
  });
});
