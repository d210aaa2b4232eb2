import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from '../../../src/spec/capabilities.js';
import {
  DEFAULT_PATH,
  effectiveUserSpec,
  type GenerateInput,
  generateSpec,
  MASKED_PATHS,
  processArgs,
  READONLY_PATHS,
} from '../../../src/spec/generate.js';
import type { ImageConfig } from '../../../src/spec/image-config.js';
import type { OciSpec } from '../../../src/spec/oci.js';
import { defaultRunOptions, type RunOptions } from '../../../src/spec/options.js';
import { resolveUser } from '../../../src/spec/user.js';
import { BerthError } from '../../../src/util/errors.js';

const ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const ROOT_USER = { uid: 0, gid: 0, additionalGids: [], home: '/root', name: 'root' };

const IMAGE: ImageConfig = {
  Env: ['PATH=/custom/bin', 'LANG=C.UTF-8', 'HOSTNAME=from-image'],
  Entrypoint: ['/docker-entrypoint.sh'],
  Cmd: ['nginx', '-g', 'daemon off;'],
  WorkingDir: '/srv',
};

function gen(options: Partial<RunOptions> = {}, extra: Partial<GenerateInput> = {}): OciSpec {
  return generateSpec({
    id: ID,
    options: defaultRunOptions(options),
    image: IMAGE,
    rootfs: '/store/overlay/merged',
    user: ROOT_USER,
    ...extra,
  });
}

function mount(spec: OciSpec, destination: string) {
  return spec.mounts.find((m) => m.destination === destination);
}

describe('process arguments (ENTRYPOINT + CMD)', () => {
  const opts = (o: Partial<RunOptions>) => defaultRunOptions(o);
  const image = { Entrypoint: ['/ep'], Cmd: ['c1', 'c2'] };

  it('is the image ENTRYPOINT + CMD by default', () => {
    expect(processArgs(opts({}), image)).toEqual(['/ep', 'c1', 'c2']);
  });
  it('arguments after the image replace CMD only', () => {
    expect(processArgs(opts({ args: ['x', 'y'] }), image)).toEqual(['/ep', 'x', 'y']);
  });
  it('--entrypoint replaces ENTRYPOINT and clears CMD', () => {
    expect(processArgs(opts({ entrypoint: '/bin/sh' }), image)).toEqual(['/bin/sh']);
    expect(processArgs(opts({ entrypoint: '/bin/sh', args: ['-c', 'true'] }), image)).toEqual([
      '/bin/sh',
      '-c',
      'true',
    ]);
  });
  it("--entrypoint '' clears ENTRYPOINT: the args are the command", () => {
    expect(processArgs(opts({ entrypoint: '', args: ['ls', '/'] }), image)).toEqual(['ls', '/']);
  });
  it("takes Podman's JSON array form", () => {
    expect(processArgs(opts({ entrypoint: '["sh","-c"]', args: ['echo hi'] }), image)).toEqual([
      'sh',
      '-c',
      'echo hi',
    ]);
    expect(processArgs(opts({ entrypoint: '[weird' }), image)).toEqual(['[weird']);
  });
  it('uses CMD alone when the image has no ENTRYPOINT', () => {
    expect(processArgs(opts({}), { Cmd: ['sh'] })).toEqual(['sh']);
    expect(processArgs(opts({}), { Entrypoint: null, Cmd: ['sh'] })).toEqual(['sh']);
  });
  it('fails with no command at all, exit 125', () => {
    expect(() => processArgs(opts({ entrypoint: '' }), image)).toThrow('no command specified');
    let err: unknown;
    try {
      processArgs(opts({}), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).message).toBe('no command specified');
    expect((err as BerthError).exitCode).toBe(125);
  });
});

describe('generateSpec: process', () => {
  it('builds the basic process for the image', () => {
    const spec = gen();
    expect(spec.ociVersion).toBe('1.0.2');
    expect(spec.process.args).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(spec.process.cwd).toBe('/srv');
    expect(spec.process.terminal).toBe(false);
    expect(spec.process.user).toEqual({ uid: 0, gid: 0 });
    expect(spec.hostname).toBe('0123456789ab');
    expect(spec.root).toEqual({ path: '/store/overlay/merged', readonly: false });
    expect(spec.process.noNewPrivileges).toBe(false);
    expect(spec.annotations).toBeUndefined();
  });

  it('merges env in order: image, PATH if absent, HOSTNAME, TERM, env-file, -e, HOME if absent', () => {
    const spec = gen(
      {
        tty: true,
        envFile: ['FILE=1', 'LANG=from-file', 'BOTH=file'],
        env: ['BOTH=flag', 'CALLER', 'UNSET', 'NEW=x'],
      },
      { hostname: 'web', lookupEnv: (k) => (k === 'CALLER' ? 'c' : undefined) },
    );
    expect(spec.process.env).toEqual([
      'PATH=/custom/bin',
      'LANG=from-file',
      'HOSTNAME=web',
      'TERM=xterm',
      'FILE=1',
      'BOTH=flag',
      'CALLER=c',
      'NEW=x',
      'HOME=/root',
    ]);
    expect(spec.process.terminal).toBe(true);
    expect(spec.hostname).toBe('web');
  });

  it('adds the default PATH when the image has none, and keeps a HOME the user set', () => {
    const spec = generateSpec({
      id: ID,
      options: defaultRunOptions({ args: ['sh'], env: ['HOME=/tmp'], hostname: 'h' }),
      image: {},
      rootfs: '/r',
      user: { uid: 5, gid: 6, additionalGids: [7, 8], home: '/home/u' },
    });
    expect(spec.process.env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=h', 'HOME=/tmp']);
    expect(spec.process.cwd).toBe('/');
    expect(spec.process.user).toEqual({ uid: 5, gid: 6, additionalGids: [7, 8] });
    expect(spec.hostname).toBe('h');
  });

  it('-w wins over WORKDIR and must be absolute', () => {
    expect(gen({ workdir: '/tmp' }).process.cwd).toBe('/tmp');
    expect(() => gen({ workdir: 'tmp' })).toThrow('invalid working directory: "tmp" is not an absolute path');
  });

  it('uses -u before the image USER, resolved against passwd', () => {
    const passwd = 'root:x:0:0::/root:/bin/sh\nsvc:x:100:101::/var/svc:/bin/sh\n';
    const group = 'svc:x:101:\nextra:x:300:svc\n';
    const image = { ...IMAGE, User: 'svc' };
    const user = resolveUser(effectiveUserSpec(defaultRunOptions(), image), { passwd, group });
    const spec = generateSpec({ id: ID, options: defaultRunOptions(), image, rootfs: '/r', user });
    expect(spec.process.user).toEqual({ uid: 100, gid: 101, additionalGids: [300] });
    expect(spec.process.env).toContain('HOME=/var/svc');
    expect(effectiveUserSpec(defaultRunOptions({ user: '0' }), image)).toBe('0');
    expect(effectiveUserSpec(defaultRunOptions(), {})).toBe('');
  });

  it('--init runs the init binary, mounted read-only, before the command', () => {
    const spec = gen({ init: '/usr/libexec/podman/catatonit', args: ['sleep', '1'] });
    expect(spec.process.args).toEqual(['/run/berth-init', '--', '/docker-entrypoint.sh', 'sleep', '1']);
    expect(mount(spec, '/run/berth-init')).toEqual({
      destination: '/run/berth-init',
      type: 'bind',
      source: '/usr/libexec/podman/catatonit',
      options: ['bind', 'ro', 'rprivate'],
    });
  });

  it('puts --annotation into the spec and leaves labels out', () => {
    const spec = gen({ annotations: { 'io.example/a': '1' }, labels: { team: 'x' } });
    expect(spec.annotations).toEqual({ 'io.example/a': '1' });
    expect(JSON.stringify(spec)).not.toContain('team');
  });
});

describe('generateSpec: capabilities and security', () => {
  it("gives Docker's default set to bounding, effective and permitted; ambient and inheritable empty", () => {
    const caps = gen().process.capabilities;
    expect(caps.bounding).toEqual([...DEFAULT_CAPABILITIES]);
    expect(caps.effective).toEqual([...DEFAULT_CAPABILITIES]);
    expect(caps.permitted).toEqual([...DEFAULT_CAPABILITIES]);
    expect(caps.inheritable).toEqual([]);
    expect(caps.ambient).toEqual([]);
  });

  it('applies --cap-add/--cap-drop', () => {
    const caps = gen({ capAdd: ['net_admin'], capDrop: ['CAP_MKNOD', 'kill'] }).process.capabilities;
    expect(caps.bounding).toContain('CAP_NET_ADMIN');
    expect(caps.bounding).not.toContain('CAP_MKNOD');
    expect(caps.bounding).not.toContain('CAP_KILL');
    expect(caps.effective).toEqual(caps.bounding);
    expect(() => gen({ capAdd: ['warp_drive'] })).toThrow('unknown capability: "CAP_WARP_DRIVE"');
  });

  it('sets noNewPrivileges from --security-opt', () => {
    expect(gen({ securityOpt: ['no-new-privileges'] }).process.noNewPrivileges).toBe(true);
  });

  it('has a default seccomp profile, none with seccomp=unconfined', () => {
    const s = gen().linux.seccomp!;
    expect(s.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(s.defaultErrnoRet).toBe(1);
    expect(gen({ securityOpt: ['seccomp=unconfined'] }).linux.seccomp).toBeUndefined();
  });

  it('uses a given profile', () => {
    const profile = JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }],
    });
    expect(gen({ securityOpt: [`seccomp=${profile}`] }).linux.seccomp).toEqual({
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: [],
      syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }],
    });
  });

  it("masks and write-protects Docker's paths", () => {
    const spec = gen();
    expect(spec.linux.maskedPaths).toEqual([...MASKED_PATHS]);
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
    expect(spec.linux.readonlyPaths).toEqual([
      '/proc/bus',
      '/proc/fs',
      '/proc/irq',
      '/proc/sys',
      '/proc/sysrq-trigger',
    ]);
    expect(READONLY_PATHS).toHaveLength(5);
  });

  it('--privileged: every capability, no seccomp, no masked or read-only paths, rw sysfs', () => {
    const spec = gen({ privileged: true });
    expect(spec.process.capabilities.bounding).toEqual([...ALL_CAPABILITIES]);
    expect(spec.linux.seccomp).toBeUndefined();
    expect(spec.linux.maskedPaths).toEqual([]);
    expect(spec.linux.readonlyPaths).toEqual([]);
    expect(mount(spec, '/sys')!.options).not.toContain('ro');
    expect(spec.linux.resources!.devices).toEqual([{ allow: true, access: 'rwm' }]);
  });

  it('--privileged as root passes the host devices; rootless does not', () => {
    const devices = [{ type: 'c' as const, path: '/dev/fuse', major: 10, minor: 229, fileMode: 0o666 }];
    expect(gen({ privileged: true }, { host: { devices } }).linux.devices).toEqual(devices);
    expect(gen({ privileged: true, rootless: true }, { host: { devices } }).linux.devices).toBeUndefined();
    expect(gen({}, { host: { devices } }).linux.devices).toBeUndefined();
  });
});

describe('generateSpec: rlimits', () => {
  it('defaults RLIMIT_NOFILE to 1048576 when the host allows it', () => {
    expect(gen().process.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }]);
  });

  it("clamps to the caller's hard limit and reports it to debug", () => {
    const notes: string[] = [];
    const spec = gen(
      { ulimits: ['nproc=100:200'], hostRlimits: { RLIMIT_NOFILE: { soft: 1024, hard: 4096 } } },
      { debug: (m) => notes.push(m) },
    );
    expect(spec.process.rlimits).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 4096, hard: 4096 },
      { type: 'RLIMIT_NPROC', soft: 100, hard: 200 },
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^RLIMIT_NOFILE lowered/);
  });

  it('rejects a bad --ulimit', () => {
    expect(() => gen({ ulimits: ['nofile=x'] })).toThrow('invalid ulimit argument');
  });
});

describe('generateSpec: mounts', () => {
  it('as root: the default filesystems in order, devpts with gid=5, ro sysfs and cgroup', () => {
    const spec = gen();
    expect(spec.mounts).toEqual([
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
      },
      {
        destination: '/dev/mqueue',
        type: 'mqueue',
        source: 'mqueue',
        options: ['nosuid', 'noexec', 'nodev'],
      },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      {
        destination: '/sys/fs/cgroup',
        type: 'cgroup',
        source: 'cgroup',
        options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
      },
    ]);
  });

  it('rootless: devpts without gid=5, no cgroup mount on v1/hybrid, one on v2', () => {
    const spec = gen({ rootless: true });
    expect(mount(spec, '/dev/pts')!.options).toEqual([
      'nosuid',
      'noexec',
      'newinstance',
      'ptmxmode=0666',
      'mode=0620',
    ]);
    expect(mount(spec, '/dev/pts')!.options.some((o) => o.startsWith('gid='))).toBe(false);
    expect(mount(spec, '/sys')!.type).toBe('sysfs');
    expect(mount(spec, '/sys/fs/cgroup')).toBeUndefined();
    expect(mount(gen({ rootless: true }, { host: { cgroupV2: true } }), '/sys/fs/cgroup')!.type).toBe(
      'cgroup',
    );
  });

  it('rootless with host network: /sys is a recursive read-only bind', () => {
    const spec = gen({ rootless: true, network: { mode: 'host' } });
    expect(mount(spec, '/sys')).toEqual({
      destination: '/sys',
      type: 'bind',
      source: '/sys',
      options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev', 'ro'],
    });
    expect(spec.mounts.some((m) => m.type === 'sysfs')).toBe(false);
    // As root, sysfs can be mounted even in the host's network namespace.
    expect(mount(gen({ network: { mode: 'host' } }), '/sys')!.type).toBe('sysfs');
  });

  it('adds user mounts after the defaults, parents before children, replacing a default on the same path', () => {
    const spec = gen({
      mounts: [
        { type: 'bind', source: '/h/deep', destination: '/data/a/b', options: [] },
        { type: 'volume', source: '/vol/x', destination: '/data', options: ['ro'] },
        { type: 'bind', source: '/h/shm', destination: '/dev/shm', options: [] },
      ],
      tmpfs: ['/data/a:size=1m', '/tmp'],
    });
    const dests = spec.mounts.map((m) => m.destination);
    expect(dests).toEqual([
      '/proc',
      '/dev',
      '/dev/pts',
      '/dev/mqueue',
      '/sys',
      '/sys/fs/cgroup',
      '/data',
      '/tmp',
      // Equal depth keeps the given order: -v mounts, then --tmpfs.
      '/dev/shm',
      '/data/a',
      '/data/a/b',
    ]);
    expect(mount(spec, '/dev/shm')).toEqual({
      destination: '/dev/shm',
      type: 'bind',
      source: '/h/shm',
      options: ['rbind', 'rprivate'],
    });
    expect(mount(spec, '/tmp')).toEqual({
      destination: '/tmp',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['noexec', 'nosuid', 'nodev', 'rprivate'],
    });
    expect(mount(spec, '/data/a')!.options).toContain('size=1m');
  });

  it('rejects two mounts on one destination and bad tmpfs specs', () => {
    expect(() =>
      gen({
        mounts: [{ type: 'bind', source: '/a', destination: '/x', options: [] }],
        tmpfs: ['/x/'],
      }),
    ).toThrow('duplicate mount destination: /x');
    expect(() => gen({ tmpfs: ['tmp'] })).toThrow('must be an absolute path');
  });

  it('--read-only makes the root read-only', () => {
    expect(gen({ readOnly: true }).root.readonly).toBe(true);
  });
});

describe('generateSpec: namespaces and resources', () => {
  it('has pid, network, ipc, uts, mount and never a user namespace', () => {
    for (const rootless of [false, true]) {
      const ns = gen({ rootless }).linux.namespaces;
      expect(ns).toEqual([
        { type: 'pid' },
        { type: 'network' },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
      ]);
      expect(ns.some((n) => n.type === 'user')).toBe(false);
    }
  });

  it('adds a cgroup namespace on cgroup v2', () => {
    expect(gen({}, { host: { cgroupV2: true } }).linux.namespaces.map((n) => n.type)).toContain('cgroup');
  });

  it('host network: no network namespace; none: one; a given path is joined', () => {
    expect(gen({ network: { mode: 'host' } }).linux.namespaces.map((n) => n.type)).toEqual([
      'pid',
      'ipc',
      'uts',
      'mount',
    ]);
    expect(gen({ network: { mode: 'none' } }).linux.namespaces.map((n) => n.type)).toContain('network');
    expect(gen({ network: { mode: 'private', nsPath: '/run/netns/x' } }).linux.namespaces[1]).toEqual({
      type: 'network',
      path: '/run/netns/x',
    });
  });

  it('resources and a cgroup path only as root', () => {
    const root = gen({ resources: { memory: 1 << 20, cpus: 1.5, pidsLimit: 100 } });
    expect(root.linux.resources).toEqual({
      devices: [{ allow: false, access: 'rwm' }],
      memory: { limit: 1048576 },
      cpu: { quota: 150000, period: 100000 },
      pids: { limit: 100 },
    });
    expect(root.linux.cgroupsPath).toBe(`/berth/${ID}`);
    const rootless = gen({ rootless: true, resources: { memory: 1 << 20 } });
    expect(rootless.linux.resources).toBeUndefined();
    expect(rootless.linux.cgroupsPath).toBeUndefined();
  });
});
