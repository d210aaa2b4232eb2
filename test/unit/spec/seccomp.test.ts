import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES } from '../../../src/spec/capabilities.js';
import {
  defaultSeccompProfile,
  goArch,
  parseSeccompProfile,
  seccompToOci,
} from '../../../src/spec/seccomp.js';

const defaults = { capabilities: DEFAULT_CAPABILITIES, arch: 'amd64' };

function allowed(p: ReturnType<typeof seccompToOci>): Set<string> {
  return new Set(p.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args).flatMap((s) => s.names));
}

describe('default seccomp profile', () => {
  it('denies with EPERM by default and allows the common syscalls on x86_64', () => {
    const p = seccompToOci(defaultSeccompProfile(), defaults);
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(1);
    expect(p.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    const names = allowed(p);
    for (const n of [
      'read',
      'write',
      'execve',
      'openat',
      'futex',
      'clock_gettime',
      'exit_group',
      'arch_prctl',
      'chroot',
    ]) {
      expect(names.has(n)).toBe(true);
    }
    // Privileged operations stay denied without their capabilities.
    for (const n of ['mount', 'unshare', 'setns', 'reboot', 'ptrace', 'kexec_load', 'init_module', 'bpf']) {
      expect(names.has(n)).toBe(n === 'ptrace'); // ptrace is allowed on kernels >= 4.8
    }
    expect(names.has('set_tls')).toBe(false);
  });

  it('restricts clone to no namespaces and makes clone3 fail with ENOSYS without CAP_SYS_ADMIN', () => {
    const p = seccompToOci(defaultSeccompProfile(), defaults);
    expect(p.syscalls).toContainEqual({
      names: ['clone'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value: 2114060288, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
    });
    expect(p.syscalls).toContainEqual({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
    expect(p.syscalls).toContainEqual({
      names: ['socket'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value: 40, valueTwo: 0, op: 'SCMP_CMP_NE' }],
    });
  });

  it('allows mount, unshare and clone3 with CAP_SYS_ADMIN, and drops the restricted clone', () => {
    const p = seccompToOci(defaultSeccompProfile(), {
      capabilities: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'],
      arch: 'amd64',
    });
    const names = allowed(p);
    for (const n of ['mount', 'umount2', 'unshare', 'setns', 'clone', 'clone3'])
      expect(names.has(n)).toBe(true);
    expect(p.syscalls.some((s) => s.names.includes('clone3') && s.action === 'SCMP_ACT_ERRNO')).toBe(false);
    expect(p.syscalls.some((s) => s.names.includes('clone') && s.args)).toBe(false);
  });

  it('is arm-flavoured on arm64', () => {
    const p = seccompToOci(defaultSeccompProfile(), {
      capabilities: DEFAULT_CAPABILITIES,
      arch: goArch('arm64'),
    });
    expect(p.architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    const names = allowed(p);
    expect(names.has('set_tls')).toBe(true);
    expect(names.has('arch_prctl')).toBe(false);
    expect(names.has('modify_ldt')).toBe(false);
  });

  it('honours minKernel when the kernel is known', () => {
    const old = seccompToOci(defaultSeccompProfile(), { ...defaults, kernel: '4.4' });
    expect(allowed(old).has('ptrace')).toBe(false);
    expect(allowed(seccompToOci(defaultSeccompProfile(), { ...defaults, kernel: '6.1' })).has('ptrace')).toBe(
      true,
    );
  });

  it('maps Node architectures to Go names', () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('ia32')).toBe('386');
    expect(goArch('arm64')).toBe('arm64');
  });
});

describe('user profiles', () => {
  it('converts the Docker format: legacy name, archMap, includes/excludes', () => {
    const profile = parseSeccompProfile(
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        defaultErrnoRet: 1,
        archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }],
        syscalls: [
          { name: 'mkdir', action: 'SCMP_ACT_ERRNO', args: [] },
          { names: ['chmod'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, includes: { caps: ['CAP_SYS_ADMIN'] } },
          { names: ['personality'], action: 'SCMP_ACT_ERRNO', excludes: { arches: ['amd64'] } },
          {
            names: ['socket'],
            action: 'SCMP_ACT_ERRNO',
            args: [{ index: 0, value: 16, op: 'SCMP_CMP_EQ' }],
          },
        ],
      }),
    );
    expect(seccompToOci(profile, defaults)).toEqual({
      defaultAction: 'SCMP_ACT_ALLOW',
      defaultErrnoRet: 1,
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
      syscalls: [
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO' },
        { names: ['socket'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 16, op: 'SCMP_CMP_EQ' }] },
      ],
    });
  });

  it('keeps an OCI-style architectures list', () => {
    const p = parseSeccompProfile('{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"]}');
    expect(seccompToOci(p, defaults)).toEqual({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [],
    });
  });

  it('rejects malformed profiles', () => {
    expect(() => parseSeccompProfile('{not json')).toThrow(/^decoding seccomp profile: /);
    expect(() => parseSeccompProfile('[]')).toThrow(
      'invalid seccomp profile: the profile is not a JSON object',
    );
    expect(() => parseSeccompProfile('{}')).toThrow('invalid seccomp profile: defaultAction is missing');
    expect(() => seccompToOci(parseSeccompProfile('{"defaultAction":"SCMP_ACT_EXPLODE"}'), defaults)).toThrow(
      'invalid seccomp profile: unknown action "SCMP_ACT_EXPLODE"',
    );
    const both =
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}';
    expect(() => seccompToOci(parseSeccompProfile(both), defaults)).toThrow("use either 'name' or 'names'");
  });
});
