import { describe, expect, it } from 'vitest';
import type { Container } from '../../../src/engine/containers/common.js';
import { execProcess, RuntimeStderrFilter, runtimeLogError } from '../../../src/engine/containers/exec.js';
import { pruneFilter } from '../../../src/engine/containers/prune.js';
import { descendants, parsePsOutput, parseStatPpid } from '../../../src/engine/containers/top.js';
import type { OciProcess } from '../../../src/spec/oci.js';

const base: OciProcess = {
  terminal: false,
  user: { uid: 0, gid: 0 },
  args: ['sh', '-c', 'sleep 1000'],
  env: ['PATH=/usr/bin:/bin', 'HOSTNAME=abc', 'HOME=/root', 'FOO=image'],
  cwd: '/srv',
  capabilities: {
    bounding: ['CAP_KILL'],
    effective: ['CAP_KILL'],
    inheritable: [],
    permitted: ['CAP_KILL'],
    ambient: [],
  },
  rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024 }],
  noNewPrivileges: true,
};

describe('execProcess', () => {
  it("keeps the container's process but runs the exec's command", () => {
    const p = execProcess(base, { args: ['id'], env: [], tty: false });
    expect(p.args).toEqual(['id']);
    expect(p.env).toEqual(base.env);
    expect(p.cwd).toBe('/srv');
    expect(p.user).toEqual({ uid: 0, gid: 0 });
    expect(p.capabilities).toEqual(base.capabilities);
    expect(p.noNewPrivileges).toBe(true);
    expect(p.terminal).toBe(false);
    expect(base.args).toEqual(['sh', '-c', 'sleep 1000']);
  });

  it('overrides env in place and adds new names', () => {
    const p = execProcess(base, { args: ['env'], env: ['FOO=exec', 'BAR=1'], tty: false });
    expect(p.env).toEqual(['PATH=/usr/bin:/bin', 'HOSTNAME=abc', 'HOME=/root', 'FOO=exec', 'BAR=1']);
  });

  it('sets TERM for a terminal unless given', () => {
    expect(execProcess(base, { args: ['sh'], env: [], tty: true }).env).toContain('TERM=xterm');
    const p = execProcess(base, { args: ['sh'], env: ['TERM=vt100'], tty: true });
    expect(p.env.filter((e) => e.startsWith('TERM='))).toEqual(['TERM=vt100']);
    expect(p.terminal).toBe(true);
  });

  it('resolves the working directory against the container', () => {
    expect(execProcess(base, { args: ['pwd'], env: [], tty: false, workdir: '/tmp' }).cwd).toBe('/tmp');
    expect(execProcess(base, { args: ['pwd'], env: [], tty: false, workdir: 'data' }).cwd).toBe('/srv/data');
  });

  it("takes a user's ids, groups and home", () => {
    const user = { uid: 1000, gid: 100, additionalGids: [10, 20], home: '/home/app', name: 'app' };
    const p = execProcess(base, { args: ['id'], env: [], tty: false, user });
    expect(p.user).toEqual({ uid: 1000, gid: 100, additionalGids: [10, 20] });
    expect(p.env).toContain('HOME=/home/app');
    expect(p.env).not.toContain('HOME=/root');
    const keep = execProcess(base, { args: ['id'], env: ['HOME=/x'], tty: false, user });
    expect(keep.env.filter((e) => e.startsWith('HOME='))).toEqual(['HOME=/x']);
  });
});

describe('RuntimeStderrFilter', () => {
  const runcLine =
    'time="2024-01-01T00:00:00Z" level=error msg="exec failed: unable to start container process: exec: \\"nosuch\\": executable file not found in $PATH"\n';

  it("keeps runc's error lines out of the process's stderr", () => {
    const f = new RuntimeStderrFilter();
    expect(f.push(runcLine)).toBe('');
    expect(f.end()).toBe('');
    expect(f.errors).toEqual([
      'exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH',
    ]);
  });

  it("passes the process's output through at once, even without a newline", () => {
    const f = new RuntimeStderrFilter();
    expect(f.push('/ # ')).toBe('/ # ');
    expect(f.push('more\nerr line\n')).toBe('more\nerr line\n');
    expect(f.push('ti')).toBe('');
    expect(f.push('ny\n')).toBe('tiny\n');
    expect(f.errors).toEqual([]);
  });

  it('finds runtime lines split across chunks and mixed with output', () => {
    const f = new RuntimeStderrFilter();
    let out = f.push('before\ntim');
    out += f.push(runcLine.slice(3, 40));
    out += f.push(`${runcLine.slice(40)}after`);
    out += f.end();
    expect(out).toBe('before\nafter');
    expect(f.errors).toHaveLength(1);
  });

  it('does not count warnings as errors', () => {
    const f = new RuntimeStderrFilter();
    expect(f.push('time="x" level=warning msg="something"\n')).toBe('');
    expect(f.errors).toEqual([]);
  });
});

describe('runtimeLogError', () => {
  it("finds the last error in runc's JSON log", () => {
    const log = [
      '{"level":"warning","msg":"w","time":"t"}',
      '{"level":"error","msg":"exec failed: permission denied","time":"t"}',
      'not json',
    ].join('\n');
    expect(runtimeLogError(log)).toBe('exec failed: permission denied');
    expect(runtimeLogError('')).toBeUndefined();
  });
});

const PS_EF = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init
100000       610     600  0 16:56 ?        00:00:00 sh -c i=0; while true; do echo $i; done
100000       700     610  0 16:57 pts/0    00:00:00 sleep 1
root         800       1  0 16:58 ?        00:00:00 other thing
`;

describe('parsePsOutput', () => {
  it("keeps the container's rows and the command with its spaces", () => {
    const r = parsePsOutput(PS_EF, new Set([610, 700]));
    expect(r.titles).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    expect(r.processes).toEqual([
      ['100000', '610', '600', '0', '16:56', '?', '00:00:00', 'sh -c i=0; while true; do echo $i; done'],
      ['100000', '700', '610', '0', '16:57', 'pts/0', '00:00:00', 'sleep 1'],
    ]);
  });

  it('finds the PID column wherever it is', () => {
    const out = '  PID COMMAND\n  610 sh\n  999 bash\n';
    expect(parsePsOutput(out, new Set([610])).processes).toEqual([['610', 'sh']]);
  });

  it('fails without a PID column', () => {
    expect(() => parsePsOutput('COMMAND\nsh\n', new Set([1]))).toThrow(/PID/);
  });
});

describe('process tree', () => {
  it('reads the parent pid even when the command name has spaces and parentheses', () => {
    expect(parseStatPpid('610 (sh) S 600 610 610 0 -1')).toBe(600);
    expect(parseStatPpid('42 (a (b) c) R 7 42 42 0')).toBe(7);
    expect(parseStatPpid('garbage')).toBeUndefined();
  });

  it('collects a process and all below it', () => {
    const parentOf = new Map([
      [610, 600],
      [700, 610],
      [701, 700],
      [800, 1],
      [900, 610],
    ]);
    expect(descendants(610, parentOf).sort((a, b) => a - b)).toEqual([610, 700, 701, 900]);
    expect(descendants(800, parentOf)).toEqual([800]);
  });
});

describe('pruneFilter', () => {
  const ctr = (created: string, labels: Record<string, string>) =>
    ({ created, config: { labels } }) as unknown as Container;
  const old = ctr('2024-01-01T00:00:00Z', { env: 'test', keep: '' });
  const recent = ctr('2024-05-06T11:59:00Z', { env: 'prod' });
  const now = new Date('2024-05-06T12:00:00Z');

  it('selects everything without filters', () => {
    const f = pruneFilter([], now);
    expect(f(old) && f(recent)).toBe(true);
  });

  it('until= selects containers created before a time or a duration ago', () => {
    const f = pruneFilter(['until=10m'], now);
    expect([f(old), f(recent)]).toEqual([true, false]);
    const g = pruneFilter(['until=2024-05-06T11:59:30Z'], now);
    expect([g(old), g(recent)]).toEqual([true, true]);
  });

  it('label= and label!= by key or key=value', () => {
    expect([pruneFilter(['label=env=test'], now)(old), pruneFilter(['label=env=test'], now)(recent)]).toEqual(
      [true, false],
    );
    expect([pruneFilter(['label=keep'], now)(old), pruneFilter(['label=keep'], now)(recent)]).toEqual([
      true,
      false,
    ]);
    expect([pruneFilter(['label!=keep'], now)(old), pruneFilter(['label!=keep'], now)(recent)]).toEqual([
      false,
      true,
    ]);
    const both = pruneFilter(['label=env', 'until=1h'], now);
    expect([both(old), both(recent)]).toEqual([true, false]);
  });

  it('refuses unknown filters', () => {
    expect(() => pruneFilter(['status=exited'], now)).toThrow(/until, label/);
    expect(() => pruneFilter(['nokey'], now)).toThrow(/key=value/);
  });
});
