import { describe, expect, it } from 'vitest';
import {
  computeCapabilities,
  DEFAULT_CAPABILITIES,
  normalizeCapability,
} from '../../../src/spec/capabilities.js';
import { imageConfigFromBlob } from '../../../src/spec/image-config.js';
import { mergeMountOptions, parseTmpfs, toOciMount } from '../../../src/spec/mounts.js';
import { specToJson } from '../../../src/spec/oci.js';
import { clampRlimits, parseUlimit, RLIM_INFINITY, requestedRlimits } from '../../../src/spec/rlimits.js';
import { parseSecurityOpts } from '../../../src/spec/security.js';

describe('capabilities', () => {
  it('normalises names case-insensitively, with or without CAP_', () => {
    expect(normalizeCapability('net_admin')).toBe('CAP_NET_ADMIN');
    expect(normalizeCapability('CAP_sys_ptrace')).toBe('CAP_SYS_PTRACE');
    expect(normalizeCapability('all')).toBe('ALL');
    expect(() => normalizeCapability('FLY')).toThrow('unknown capability: "CAP_FLY"');
  });

  it("starts from Docker's 14 defaults", () => {
    expect(computeCapabilities({ capAdd: [], capDrop: [], privileged: false })).toEqual([
      'CAP_CHOWN',
      'CAP_DAC_OVERRIDE',
      'CAP_FSETID',
      'CAP_FOWNER',
      'CAP_MKNOD',
      'CAP_NET_RAW',
      'CAP_SETGID',
      'CAP_SETUID',
      'CAP_SETFCAP',
      'CAP_SETPCAP',
      'CAP_NET_BIND_SERVICE',
      'CAP_SYS_CHROOT',
      'CAP_KILL',
      'CAP_AUDIT_WRITE',
    ]);
  });

  it('drops then adds', () => {
    const caps = computeCapabilities({
      capAdd: ['sys_admin', 'CAP_CHOWN'],
      capDrop: ['net_raw', 'Chown'],
      privileged: false,
    });
    expect(caps).not.toContain('CAP_NET_RAW');
    expect(caps).toContain('CAP_SYS_ADMIN');
    // Added back after the drop, once.
    expect(caps.filter((c) => c === 'CAP_CHOWN')).toEqual(['CAP_CHOWN']);
    expect(caps).toHaveLength(DEFAULT_CAPABILITIES.length);
  });

  it('--cap-drop ALL keeps only the added ones', () => {
    expect(computeCapabilities({ capAdd: ['kill', 'setuid'], capDrop: ['ALL'], privileged: false })).toEqual([
      'CAP_KILL',
      'CAP_SETUID',
    ]);
    expect(computeCapabilities({ capAdd: [], capDrop: ['all'], privileged: false })).toEqual([]);
  });

  it('--cap-add ALL gives every capability but the dropped ones', () => {
    const caps = computeCapabilities({ capAdd: ['ALL'], capDrop: ['sys_admin'], privileged: false });
    expect(caps).toHaveLength(40);
    expect(caps).not.toContain('CAP_SYS_ADMIN');
    expect(caps).toContain('CAP_BPF');
  });

  it('rejects unknown names in either list', () => {
    expect(() => computeCapabilities({ capAdd: [], capDrop: ['nope'], privileged: false })).toThrow(
      'unknown capability: "CAP_NOPE"',
    );
  });
});

describe('ulimits', () => {
  it('parses soft[:hard], hard defaulting to soft', () => {
    expect(parseUlimit('nofile=1024:2048')).toEqual({ type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 });
    expect(parseUlimit('nproc=512')).toEqual({ type: 'RLIMIT_NPROC', soft: 512, hard: 512 });
    expect(parseUlimit('core=-1')).toEqual({ type: 'RLIMIT_CORE', soft: RLIM_INFINITY, hard: RLIM_INFINITY });
    expect(parseUlimit('memlock=100:unlimited')).toEqual({
      type: 'RLIMIT_MEMLOCK',
      soft: 100,
      hard: RLIM_INFINITY,
    });
  });

  it('rejects bad specs', () => {
    expect(() => parseUlimit('nofile')).toThrow('invalid ulimit argument: nofile');
    expect(() => parseUlimit('files=1')).toThrow('invalid ulimit type: files');
    expect(() => parseUlimit('nofile=abc')).toThrow('invalid ulimit argument: nofile=abc');
    expect(() => parseUlimit('nofile=1:2:3')).toThrow('too many limit values');
    expect(() => parseUlimit('nofile=2048:1024')).toThrow(
      'soft limit must be less than or equal to hard limit',
    );
  });

  it('defaults nofile to 1048576 and lets --ulimit replace it', () => {
    expect(requestedRlimits([])).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }]);
    expect(requestedRlimits(['nofile=10:20', 'nproc=5', 'nofile=30:40'])).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 30, hard: 40 },
      { type: 'RLIMIT_NPROC', soft: 5, hard: 5 },
    ]);
  });

  it("clamps to the caller's hard limit and says so", () => {
    const host = { RLIMIT_NOFILE: { soft: 1024, hard: 524288 }, RLIMIT_CORE: { soft: 0, hard: 1000 } };
    const { rlimits, clamped } = clampRlimits(
      [
        { type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 },
        { type: 'RLIMIT_CORE', soft: 10, hard: RLIM_INFINITY },
        { type: 'RLIMIT_NPROC', soft: 5, hard: 5 },
      ],
      host,
    );
    expect(rlimits).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 524288, hard: 524288 },
      { type: 'RLIMIT_CORE', soft: 10, hard: 1000 },
      { type: 'RLIMIT_NPROC', soft: 5, hard: 5 },
    ]);
    expect(clamped).toHaveLength(2);
    expect(clamped[0]).toContain('RLIMIT_NOFILE lowered from 1048576:1048576 to 524288:524288');
  });

  it('leaves limits within the hard limit alone', () => {
    const { rlimits, clamped } = clampRlimits([{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }], {
      RLIMIT_NOFILE: { soft: 50, hard: 300n },
    });
    expect(rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
    expect(clamped).toEqual([]);
  });
});

describe('specToJson', () => {
  it('writes uint64 bigints as exact digits', () => {
    const text = specToJson({
      process: { rlimits: [{ type: 'RLIMIT_CORE', soft: RLIM_INFINITY, hard: 5 }] },
    } as never);
    expect(text).toBe(
      '{"process":{"rlimits":[{"type":"RLIMIT_CORE","soft":18446744073709551615,"hard":5}]}}',
    );
  });
});

describe('security options', () => {
  it('parses the known options', () => {
    expect(parseSecurityOpts([])).toEqual({
      noNewPrivileges: false,
      seccomp: { kind: 'default' },
      labelDisable: false,
      unmaskSystemPaths: false,
    });
    expect(parseSecurityOpts(['no-new-privileges', 'seccomp=unconfined', 'label=disable'])).toEqual({
      noNewPrivileges: true,
      seccomp: { kind: 'unconfined' },
      labelDisable: true,
      unmaskSystemPaths: false,
    });
    expect(parseSecurityOpts(['no-new-privileges:true']).noNewPrivileges).toBe(true);
    expect(parseSecurityOpts(['no-new-privileges=false']).noNewPrivileges).toBe(false);
    expect(parseSecurityOpts(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']).seccomp).toEqual({
      kind: 'profile',
      json: '{"defaultAction":"SCMP_ACT_ALLOW"}',
    });
    expect(parseSecurityOpts(['apparmor=unconfined', 'systempaths=unconfined']).unmaskSystemPaths).toBe(true);
  });

  it('rejects unknown options', () => {
    expect(() => parseSecurityOpts(['bogus=1'])).toThrow('invalid --security-opt: "bogus=1"');
    expect(() => parseSecurityOpts(['nonsense'])).toThrow('invalid --security-opt: "nonsense"');
    expect(() => parseSecurityOpts(['no-new-privileges=maybe'])).toThrow('is not a boolean');
  });
});

describe('tmpfs and mounts', () => {
  it('parses /path[:opts]', () => {
    expect(parseTmpfs('/run')).toEqual({ type: 'tmpfs', source: 'tmpfs', destination: '/run', options: [] });
    expect(parseTmpfs('/data/:size=64m,mode=1777,exec')).toEqual({
      type: 'tmpfs',
      source: 'tmpfs',
      destination: '/data',
      options: ['size=64m', 'mode=1777', 'exec'],
    });
    expect(() => parseTmpfs('relative')).toThrow(
      'invalid tmpfs mount: destination "relative" must be an absolute path',
    );
    expect(() => parseTmpfs('/')).toThrow("destination can't be '/'");
  });

  it("tmpfs defaults to noexec,nosuid,nodev, which the user's options override", () => {
    expect(toOciMount(parseTmpfs('/data:exec,size=1m'))).toEqual({
      destination: '/data',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'nodev', 'rprivate', 'exec', 'size=1m'],
    });
  });

  it('binds are recursive and private unless said otherwise', () => {
    expect(toOciMount({ type: 'bind', source: '/h', destination: '/c', options: ['ro'] })).toEqual({
      destination: '/c',
      type: 'bind',
      source: '/h',
      options: ['rbind', 'ro', 'rprivate'],
    });
    expect(
      toOciMount({ type: 'volume', source: '/vol/data', destination: '/d', options: ['bind', 'rshared'] }),
    ).toEqual({ destination: '/d', type: 'bind', source: '/vol/data', options: ['bind', 'rshared'] });
  });

  it('merges options, last of a kind winning', () => {
    expect(mergeMountOptions(['ro', 'noexec', 'size=1'], ['rw', 'size=2', 'exec'])).toEqual([
      'rw',
      'size=2',
      'exec',
    ]);
  });
});

describe('imageConfigFromBlob', () => {
  it('takes the config subset and drops ill-typed fields', () => {
    const blob = {
      architecture: 'amd64',
      config: {
        Env: ['PATH=/bin'],
        Entrypoint: null,
        Cmd: ['sh'],
        WorkingDir: '/w',
        User: 'app',
        Labels: { a: 'b', n: 1 },
        StopSignal: 'SIGQUIT',
        ExposedPorts: { '80/tcp': {} },
        Volumes: { '/data': {} },
        Hostname: 'ignored',
      },
    };
    expect(imageConfigFromBlob(blob)).toEqual({
      Env: ['PATH=/bin'],
      Cmd: ['sh'],
      WorkingDir: '/w',
      User: 'app',
      Labels: { a: 'b' },
      StopSignal: 'SIGQUIT',
      ExposedPorts: { '80/tcp': {} },
      Volumes: { '/data': {} },
    });
    expect(imageConfigFromBlob({ config: { Cmd: 'not a list' } })).toEqual({});
    expect(imageConfigFromBlob({})).toEqual({});
  });
});
