import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, runAs } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { assertNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore } from '../harness/store.js';

const ctx = harness();
let store: TestStore;

beforeAll(() => {
  store = newTestStore('foundation');
});
afterAll(async () => {
  assertNoLeaks(store);
  await store.cleanup();
});

function pauseProcesses(uid: number): number[] {
  const out = execFileSync('ps', ['-u', String(uid), '-o', 'pid=,stat=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, stat, comm]) => comm === 'berth-pause' && !stat?.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

describe('the CLI', () => {
  it('prints its version and help', async () => {
    const v = await berth(['--version']);
    expect(v.stdout).toMatch(/^berth version \d+\.\d+\.\d+/);
    const h = await berth(['--help']);
    for (const verb of ['info', 'unshare', 'container', 'image', 'system']) expect(h.stdout).toContain(verb);
    const ih = await berth(['system', 'info', '--help']);
    expect(ih.stdout).toContain('--format');
    expect(ih.stdout).toContain('berth info');
  });

  it('refuses an unknown command or flag with one Error line and 125', async () => {
    for (const args of [
      ['nosuchverb'],
      ['info', '--bogus'],
      ['--bogus-global', 'info'],
      ['container', 'nosuch'],
    ]) {
      const r = await berth(args, { expectExit: 125 });
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Error: /);
      expect(r.stdout).toBe('');
    }
  });
});

describe('rootless user namespace', () => {
  it('info shows the subuid mapping, rootless mode, runtime, driver', async () => {
    const r = await berth(['info', '--format', 'json'], { store });
    const info = JSON.parse(r.stdout);
    expect(info.host.rootless).toBe(true);
    expect(info.host.uid).toBe(ctx.user.uid);
    expect(info.host.userNamespace).toBe('full');
    expect(info.host.idMappings.uidmap).toEqual([
      { containerId: 0, hostId: ctx.user.uid, size: 1 },
      { containerId: 1, hostId: ctx.user.subUidStart, size: ctx.user.subUidCount },
    ]);
    expect(info.host.ociRuntime.name).toMatch(/^(runc|crun)$/);
    expect(info.store.graphRoot).toBe(store.root);
    expect(info.store.graphDriverName).toBe('overlay');
    const human = await berth(['system', 'info'], { store });
    expect(human.stdout).toContain('idMappings:');
    expect(human.stdout).toContain(`hostId: ${ctx.user.subUidStart}`);
  });

  it('shares one namespace between concurrent invocations and recreates it after the pause process dies', async () => {
    // A runtime dir of its own, so this test's pause process is not the one other files use.
    const runtimeDir = `/tmp/berth-foundation-${process.pid}`;
    await runAs('/bin/mkdir', ['-p', '-m', '700', runtimeDir]);
    const env = { XDG_RUNTIME_DIR: runtimeDir };
    try {
      const runs = await Promise.all(
        [1, 2, 3, 4].map(() => berth(['unshare', 'cat', '/proc/self/uid_map'], { env })),
      );
      const maps = runs.map((r) =>
        r.stdout
          .trim()
          .split('\n')
          .map((l) => l.trim().split(/\s+/).join(' ')),
      );
      for (const m of maps) expect(m).toEqual(maps[0]);
      expect(maps[0]).toEqual([`0 ${ctx.user.uid} 1`, `1 ${ctx.user.subUidStart} ${ctx.user.subUidCount}`]);
      const pid = Number(readFileSync(`${runtimeDir}/berth/pause.pid`, 'utf8'));
      expect(pauseProcesses(ctx.user.uid)).toContain(pid);
      const nsBefore = (await berth(['unshare', 'readlink', '/proc/self/ns/user'], { env })).stdout;
      process.kill(pid, 'SIGKILL');
      const again = await berth(['unshare', 'cat', '/proc/self/uid_map'], { env });
      expect(again.stdout).toBe(runs[0].stdout);
      const pid2 = Number(readFileSync(`${runtimeDir}/berth/pause.pid`, 'utf8'));
      expect(pid2).not.toBe(pid);
      const nsAfter = (await berth(['unshare', 'readlink', '/proc/self/ns/user'], { env })).stdout;
      expect(nsAfter).not.toBe(nsBefore);
      process.kill(pid2, 'SIGKILL');
    } finally {
      execFileSync('rm', ['-rf', runtimeDir]);
    }
  });

  it('unshare runs as root inside the namespace and passes exit codes through', async () => {
    const r = await berth(['unshare', 'id', '-u']);
    expect(r.stdout.trim()).toBe('0');
    await berth(['unshare', 'sh', '-c', 'exit 7'], { expectExit: 7 });
    const nf = await berth(['unshare', 'no-such-command-xyz'], { expectExit: 127 });
    expect(nf.stderr).toMatch(/^Error: .*not found/);
  });

  it('warns a user with no subuid range and names the fix', async () => {
    const runtimeDir = `/tmp/berth-nosub-${process.pid}`;
    const uid = Number(execFileSync('id', ['-u', 'berthnosub'], { encoding: 'utf8' }).trim());
    execFileSync('install', ['-d', '-m', '700', '-o', 'berthnosub', runtimeDir]);
    try {
      const out = execFileSync(
        'setpriv',
        [
          '--reuid',
          String(uid),
          '--regid',
          String(uid),
          '--init-groups',
          '--',
          `${ctx.repoRoot}/bin/berth`,
          'info',
          '--format',
          '{{.Host.UserNamespace}}',
        ],
        {
          env: { HOME: '/tmp', PATH: process.env.PATH, XDG_RUNTIME_DIR: runtimeDir },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      expect(out.trim()).toBe('single');
    } catch (e) {
      throw new Error(`info as berthnosub failed: ${(e as { stderr?: string }).stderr}`);
    }
    const r = execFileSync(
      'sh',
      [
        '-c',
        `rm -rf ${runtimeDir}/berth; setpriv --reuid ${uid} --regid ${uid} --init-groups -- ${ctx.repoRoot}/bin/berth version 2>&1 >/dev/null`,
      ],
      { env: { HOME: '/tmp', PATH: process.env.PATH, XDG_RUNTIME_DIR: runtimeDir }, encoding: 'utf8' },
    );
    expect(r).toMatch(/usermod --add-subuids/);
    for (const pid of pauseProcesses(uid)) process.kill(pid, 'SIGKILL');
    execFileSync('rm', ['-rf', runtimeDir]);
  });
});
