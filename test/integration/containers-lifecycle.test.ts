import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { uniqueName } from '../harness/store.js';
import {
  assertNoContainerState,
  berthAnyExit,
  exitOf,
  inspectContainer,
  psNames,
  psStatus,
  fileStore,
  removeAll,
  spawnBerthPiped,
  waitFor,
} from './containers-helpers.js';

/** Detached containers: -d, ps, inspect, stop, kill, restart, wait, exec, logs, restart policies. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const store = fileStore('containers-lifecycle', { pull: busybox });

const LOOP = 'while :; do sleep 0.1; done';

/** `run -d --name NAME busybox sh -c SCRIPT`; returns the id it printed. */
async function runD(name: string, script: string, extra: string[] = []): Promise<string> {
  const r = await berth(['run', '-d', '--name', name, ...extra, busybox, 'sh', '-c', script], { store });
  const id = r.stdout.trim();
  expect(id).toMatch(/^[0-9a-f]{64}$/);
  expect(r.stderr).toBe('');
  return id;
}

function alive(pid: number): boolean {
  return pid > 0 && existsSync(`/proc/${pid}`);
}

describe('run -d', () => {
  it('prints the id, and the container outlives the command that started it', async () => {
    const name = uniqueName('detached');
    const id = await runD(name, `echo started; ${LOOP}`);
    // berth() has waited for the CLI process to exit: the container must still run.
    const info = await inspectContainer(store, name);
    expect(info.Id).toBe(id);
    expect(info.State.Status).toBe('running');
    expect(info.State.Running).toBe(true);
    expect(alive(info.State.Pid)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await psStatus(store, name)).toMatch(/^Up /);
    const ps = await berth(['ps', '--format', '{{.ID}} {{.Names}} {{.State}}'], { store });
    expect(ps.stdout).toContain(`${id.slice(0, 12)} ${name} running\n`);
    // Any unique prefix of the id works.
    expect((await inspectContainer(store, id.slice(0, 8))).Name).toBe(`/${name}`);
    const logs = await berth(['logs', name], { store });
    expect(logs.stdout).toBe('started\n');
    await berth(['rm', '-f', name], { store });
    await waitFor('the container process to end', () => !alive(info.State.Pid));
  });

  it('logs -f streams lines as they are written and ends with the container', async () => {
    const name = uniqueName('follow');
    await runD(name, 'echo first; echo err-line >&2; sleep 2; echo second; sleep 0.5');
    const child = spawnBerthPiped(['logs', '-f', name], store, { stdio: 'pipe' });
    const seen: { line: string; at: number }[] = [];
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      let i = buf.indexOf('\n');
      while (i >= 0) {
        seen.push({ line: buf.slice(0, i), at: Date.now() });
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await Promise.race([
      exitOf(child),
      new Promise<string>((r) => setTimeout(() => r('timeout'), 20_000)),
    ]);
    if (code === 'timeout') process.kill(-child.pid!, 'SIGKILL');
    expect(code).toBe(0);
    expect(seen.map((s) => s.line)).toEqual(['first', 'second']);
    expect(stderr).toBe('err-line\n');
    // 'first' arrived while the container was still sleeping, not all at the end.
    expect(seen[1].at - seen[0].at).toBeGreaterThan(1200);
    const tail = await berth(['logs', '--tail', '1', name], { store });
    expect(tail.stdout).toBe('second\n');
    const ts = await berth(['logs', '-t', name], { store });
    expect(ts.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) first\n/);
    await berth(['rm', name], { store });
  });
});

describe('stop, kill, restart, wait', () => {
  it('stop -t 2 of a process that ignores SIGTERM takes about 2 s and records 137', async () => {
    const name = uniqueName('stop');
    await runD(name, `trap '' TERM; echo ready; ${LOOP}`);
    await waitFor(
      'the trap to be set',
      async () => (await berth(['logs', name], { store })).stdout === 'ready\n',
    );
    const t0 = Date.now();
    const r = await berth(['stop', '-t', '2', name], { store });
    const took = (Date.now() - t0) / 1000;
    expect(r.stdout).toBe(`${name}\n`);
    expect(took).toBeGreaterThan(1.8);
    expect(took).toBeLessThan(6);
    const info = await inspectContainer(store, name);
    expect(info.State.Status).toBe('exited');
    expect(info.State.ExitCode).toBe(137);
    expect(info.State.Running).toBe(false);
    expect(info.State.Pid).toBe(0);
    expect(Date.parse(info.State.FinishedAt)).toBeGreaterThanOrEqual(Date.parse(info.State.StartedAt));
    expect(await psStatus(store, name)).toMatch(/^Exited \(137\) /);
    // A stopped container stops again without complaint.
    await berth(['stop', name], { store });
    await berth(['rm', name], { store });
  });

  it('a process that honours SIGTERM stops at once with its own code', async () => {
    const name = uniqueName('stopfast');
    await runD(name, `trap 'exit 5' TERM; echo ready; ${LOOP}`);
    await waitFor(
      'the trap to be set',
      async () => (await berth(['logs', name], { store })).stdout === 'ready\n',
    );
    const t0 = Date.now();
    await berth(['container', 'stop', name], { store });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await inspectContainer(store, name)).State.ExitCode).toBe(5);
    await berth(['container', 'rm', name], { store });
  });

  it('kill -s sends the signal; plain kill sends SIGKILL; wait prints the exit code', async () => {
    const name = uniqueName('kill');
    await runD(
      name,
      `trap 'echo got-usr1' USR1; trap 'echo got-hup' HUP; trap 'exit 42' TERM; echo ready; ${LOOP}`,
    );
    await waitFor(
      'the traps to be set',
      async () => (await berth(['logs', name], { store })).stdout === 'ready\n',
    );
    const k = await berth(['kill', '-s', 'USR1', name], { store });
    expect(k.stdout).toBe(`${name}\n`);
    await berth(['kill', '--signal', 'SIGHUP', name], { store });
    await waitFor('both signals to be handled', async () => {
      const out = (await berth(['logs', name], { store })).stdout;
      return out.includes('got-usr1') && out.includes('got-hup');
    });
    expect((await inspectContainer(store, name)).State.Running).toBe(true);
    const bad = await berth(['kill', '-s', 'NOSUCHSIG', name], { store, expectExit: 125 });
    expect(bad.stderr).toMatch(/^Error: .*NOSUCHSIG/m);
    await berth(['container', 'kill', '-s', '15', name], { store });
    const w = await berth(['wait', name], { store });
    expect(w.stdout).toBe('42\n');
    expect(await psStatus(store, name)).toMatch(/^Exited \(42\) /);
    // Killing a container that is not running is refused.
    const again = await berth(['kill', name], { store, expectExit: 125 });
    expect(again.stderr).toMatch(/^Error: /m);

    const name2 = uniqueName('kill9');
    await runD(name2, LOOP);
    await berth(['kill', name2], { store });
    expect((await berth(['container', 'wait', name2], { store })).stdout).toBe('137\n');
    await berth(['rm', name, name2], { store });
  });

  it('restart gives a new process; start runs a created or exited container', async () => {
    const name = uniqueName('restart');
    await runD(name, `echo boot; ${LOOP}`);
    const before = await inspectContainer(store, name);
    await new Promise((r) => setTimeout(r, 1100));
    const r = await berth(['restart', '-t', '1', name], { store });
    expect(r.stdout).toBe(`${name}\n`);
    const after = await inspectContainer(store, name);
    expect(after.State.Running).toBe(true);
    expect(after.State.Pid).not.toBe(before.State.Pid);
    expect(alive(before.State.Pid)).toBe(false);
    expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
    await waitFor(
      'the second boot line',
      async () => (await berth(['logs', name], { store })).stdout === 'boot\nboot\n',
    );
    await berth(['stop', '-t', '0', name], { store });

    const c = uniqueName('created');
    const created = await berth(
      ['create', '--name', c, busybox, 'sh', '-c', 'echo hello-from-start; exit 4'],
      { store },
    );
    expect((await inspectContainer(store, c)).State.Status).toBe('created');
    expect(await psStatus(store, c)).toBe('Created');
    const s = await berth(['start', c], { store });
    expect(s.stdout).toBe(`${c}\n`);
    expect((await berth(['wait', created.stdout.trim()], { store })).stdout).toBe('4\n');
    // start -a attaches and returns the exit code.
    const sa = await berth(['start', '-a', c], { store, expectExit: 4 });
    expect(sa.stdout).toBe('hello-from-start\n');
    expect((await berth(['logs', c], { store })).stdout).toBe('hello-from-start\nhello-from-start\n');
    await berth(['rm', name, c], { store });
  });

  it('rm refuses a running container without -f, removes several at once, and reports each failure', async () => {
    const a = uniqueName('rma');
    const b = uniqueName('rmb');
    await runD(a, LOOP);
    await berth(['create', '--name', b, busybox, 'true'], { store });
    const refused = await berth(['rm', a], { store, expectExit: 125 });
    expect(refused.stderr).toMatch(/^Error: .*running/m);
    const missing = uniqueName('missing');
    const mixed = await berthAnyExit(['rm', b, missing], store);
    expect(mixed.exitCode).not.toBe(0);
    expect(mixed.stdout).toBe(`${b}\n`);
    expect(mixed.stderr).toContain(missing);
    const f = await berth(['rm', '-f', a], { store });
    expect(f.stdout).toBe(`${a}\n`);
    expect(await psNames(store)).not.toContain(a);
  });
});

describe('exec', () => {
  it('propagates exit codes and takes -e, -w, -u, -i', async () => {
    const name = uniqueName('exec');
    await runD(name, LOOP);
    expect((await berth(['exec', name, 'echo', 'hi'], { store })).stdout).toBe('hi\n');
    await berth(['exec', name, 'sh', '-c', 'exit 7'], { store, expectExit: 7 });
    await berth(['exec', name, 'nosuchcmd'], { store, expectExit: 127 });
    await berth(['exec', name, '/etc/passwd'], { store, expectExit: 126 });
    const env = await berth(
      ['exec', '-e', 'X=y', '-w', '/etc', '-u', 'tester', name, 'sh', '-c', 'echo $X $(pwd) $(id -u)'],
      {
        store,
      },
    );
    expect(env.stdout).toBe('y /etc 1000\n');
    const i = await berth(['exec', '-i', name, 'cat'], { store, input: 'stdin-data\n' });
    expect(i.stdout).toBe('stdin-data\n');
    const split = await berth(['container', 'exec', name, 'sh', '-c', 'echo o; echo e >&2'], { store });
    expect(split.stdout).toBe('o\n');
    expect(split.stderr).toBe('e\n');
    await berth(['exec', '-d', name, 'sh', '-c', 'echo bg > /tmp/bg'], { store });
    await waitFor(
      'the detached exec',
      async () =>
        (
          await berth(['exec', name, 'cat', '/tmp/bg'], { store, expectExit: undefined }).catch(() => ({
            stdout: '',
          }))
        ).stdout === 'bg\n',
    );
    await berth(['rm', '-f', name], { store });
  });

  it('exec into a stopped container is refused and changes nothing', async () => {
    const name = uniqueName('execstopped');
    await berth(['create', '--name', name, busybox, 'true'], { store });
    const before = await psNames(store);
    const r = await berth(['exec', name, 'true'], { store, expectExit: 125 });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(1);
    expect(r.stderr).toMatch(/not running|state/);
    expect(await psNames(store)).toEqual(before);
    expect((await inspectContainer(store, name)).State.Status).toBe('created');
    await berth(['rm', name], { store });
  });
});

describe('inspect and ps', () => {
  it('inspect has Docker fields and --format', async () => {
    const name = uniqueName('insp');
    const id = await runD(name, LOOP, ['-e', 'A=b', '-w', '/tmp', '--label', 'k=v', '--hostname', 'hn']);
    const i = await inspectContainer(store, name);
    expect(i.Id).toBe(id);
    expect(Date.parse(i.Created)).not.toBeNaN();
    expect(i.Path).toBe('sh');
    expect(i.Args).toEqual(['-c', LOOP]);
    expect(i.State).toMatchObject({
      Status: 'running',
      Running: true,
      Paused: false,
      OOMKilled: false,
      ExitCode: 0,
    });
    expect(i.State.Pid).toBeGreaterThan(0);
    expect(Date.parse(i.State.StartedAt)).toBeGreaterThanOrEqual(Date.parse(i.Created) - 1000);
    expect(i.State.FinishedAt).toBe('0001-01-01T00:00:00Z');
    expect(i.Image).toBe(ctx.images.busybox.configDigest);
    expect(i.Name).toBe(`/${name}`);
    expect(i.RestartCount).toBe(0);
    expect(i.Config.Env).toContain('A=b');
    expect(i.Config.WorkingDir).toBe('/tmp');
    expect(i.Config.Hostname).toBe('hn');
    expect(i.Config.Labels.k).toBe('v');
    expect(i.Config.Cmd).toEqual(['sh', '-c', LOOP]);
    expect(i.Config.Image).toBe(busybox);
    expect(i.HostConfig).toMatchObject({ RestartPolicy: { Name: 'no' }, AutoRemove: false });
    expect(Array.isArray(i.Mounts)).toBe(true);
    expect(typeof i.NetworkSettings).toBe('object');
    const f = await berth(
      [
        'inspect',
        '--format',
        '{{.State.Status}} {{.State.Running}} {{.Config.Hostname}} {{json .Args}}',
        name,
      ],
      {
        store,
      },
    );
    expect(f.stdout).toBe(`running true hn ${JSON.stringify(['-c', LOOP])}\n`);
    const two = await berth(['inspect', '--format', '{{.Name}}', name, id], { store });
    expect(two.stdout).toBe(`/${name}\n/${name}\n`);
    const missing = await berth(['inspect', uniqueName('nope')], { store, expectExit: 125 });
    expect(missing.stderr).toMatch(/^Error: .*no such/im);
    await berth(['rm', '-f', name], { store });
  });

  it('ps: columns, -a, -q, -l, -n, --no-trunc, filters and --format', async () => {
    const run1 = uniqueName('psrun');
    const exit3 = uniqueName('psexit');
    const created = uniqueName('pscreated');
    const id1 = await runD(run1, LOOP, ['--label', 'role=web']);
    await berth(['run', '--name', exit3, '--label', 'role=job', busybox, 'sh', '-c', 'exit 3'], {
      store,
      expectExit: 3,
    });
    await berth(['create', '--name', created, busybox, 'echo', 'a long command line here'], { store });

    const table = await berth(['ps'], { store });
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'CONTAINER ID',
      'IMAGE',
      'COMMAND',
      'CREATED',
      'STATUS',
      'PORTS',
      'NAMES',
    ]);
    const mine = rows.find((r) => r.endsWith(run1));
    expect(mine).toBeDefined();
    expect(mine).toMatch(
      new RegExp(
        `^${id1.slice(0, 12)}\\s+${busybox.replace(/[.]/g, '\\.')}\\s+"sh -c 'while :; do ?…"\\s+\\S.* ago\\s+Up `,
      ),
    );
    expect(rows.some((r) => r.endsWith(exit3))).toBe(false);

    const all = await psNames(store);
    expect(all).toEqual(expect.arrayContaining([run1, exit3, created]));
    const q = await berth(['ps', '-a', '-q'], { store });
    for (const l of q.stdout.trimEnd().split('\n')) expect(l).toMatch(/^[0-9a-f]{12}$/);
    const nt = await berth(['ps', '-q', '--no-trunc', '--filter', `name=${run1}`], { store });
    expect(nt.stdout).toBe(`${id1}\n`);
    const ntc = await berth(
      ['ps', '-a', '--no-trunc', '--filter', `name=${created}`, '--format', '{{.Command}}'],
      { store },
    );
    expect(ntc.stdout).toBe('"echo \'a long command line here\'"\n');
    const latest = await berth(['ps', '-l', '--format', '{{.Names}}'], { store });
    expect(latest.stdout).toBe(`${created}\n`);
    const last2 = await berth(['ps', '-n', '2', '--format', '{{.Names}}'], { store });
    expect(last2.stdout).toBe(`${created}\n${exit3}\n`);

    const filt = async (...f: string[]) =>
      (
        await berth(['ps', '-a', ...f.flatMap((x) => ['--filter', x]), '--format', '{{.Names}}'], { store })
      ).stdout
        .split('\n')
        .filter((l) => l)
        .sort();
    expect(await filt(`name=${exit3}`)).toEqual([exit3]);
    expect(await filt(`id=${id1.slice(0, 10)}`)).toEqual([run1]);
    expect(await filt('status=running', `name=${run1.slice(0, 5)}`)).toEqual([run1]);
    expect(await filt('status=created', `name=${created}`)).toEqual([created]);
    expect(await filt('exited=3')).toEqual([exit3]);
    expect(await filt('label=role=web')).toEqual([run1]);
    expect(await filt('label=role')).toEqual([exit3, run1].sort());
    expect(await filt(`ancestor=${busybox}`, 'label=role')).toEqual([exit3, run1].sort());
    expect(await filt(`ancestor=${ctx.images.busybox.configDigest.slice(7, 19)}`, 'label=role=job')).toEqual([
      exit3,
    ]);
    expect(await filt('ancestor=nosuchimage:latest')).toEqual([]);
    const badFilter = await berth(['ps', '--filter', 'color=red'], { store, expectExit: 125 });
    expect(badFilter.stderr).toMatch(/^Error: .*color/m);

    const custom = await berth(
      ['ps', '-a', '--filter', `name=${exit3}`, '--format', 'table {{.Names}}\t{{.Status}}'],
      { store },
    );
    const lines = custom.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAMES\s+STATUS$/);
    expect(lines[1]).toMatch(new RegExp(`^${exit3}\\s+Exited \\(3\\) .*ago$`));
    const json = await berth(['ps', '--filter', `name=${run1}`, '--format', '{{json .}}'], { store });
    const obj = JSON.parse(json.stdout);
    expect(obj).toMatchObject({ ID: id1.slice(0, 12), Names: run1, State: 'running', Image: busybox });
    expect(obj.Labels).toContain('role=web');

    await berth(['rm', '-f', run1, exit3, created], { store });
  });
});

describe('exits nobody was watching', () => {
  it.runIf(ctx.isRoot)('a container process killed from outside shows as Exited (137)', async () => {
    const name = uniqueName('outside');
    await runD(name, LOOP);
    const { Pid } = (await inspectContainer(store, name)).State;
    process.kill(Pid, 'SIGKILL');
    await waitFor('the process to go', () => !alive(Pid));
    await waitFor('ps -a to show the exit', async () => /^Exited \(137\) /.test(await psStatus(store, name)));
    const info = await inspectContainer(store, name);
    expect(info.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 137, Pid: 0 });
    expect(await psNames(store, false)).not.toContain(name);
    await berth(['rm', name], { store });
  });

  it('--restart on-failure:2 restarts twice, then stays exited', async () => {
    const name = uniqueName('onfail');
    await runD(name, 'echo run; exit 1', ['--restart', 'on-failure:2']);
    await waitFor(
      'two restarts',
      async () => {
        const i = await inspectContainer(store, name);
        return i.RestartCount === 2 && i.State.Status === 'exited';
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const i = await inspectContainer(store, name);
    expect(i.RestartCount).toBe(2);
    expect(i.State.Status).toBe('exited');
    expect(i.State.ExitCode).toBe(1);
    expect(i.HostConfig).toMatchObject({ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } });
    expect((await berth(['logs', name], { store })).stdout).toBe('run\nrun\nrun\n');
    await berth(['rm', name], { store });
  });

  it('--restart always restarts a process that exits by itself, but not after stop', async () => {
    const name = uniqueName('always');
    await runD(name, 'sleep 0.5; exit 0', ['--restart', 'always']);
    await waitFor('a restart', async () => (await inspectContainer(store, name)).RestartCount >= 2, 30_000);
    await berth(['stop', '-t', '1', name], { store });
    const stopped = await inspectContainer(store, name);
    expect(stopped.State.Status).toBe('exited');
    await new Promise((r) => setTimeout(r, 2000));
    const later = await inspectContainer(store, name);
    expect(later.State.Status).toBe('exited');
    expect(later.RestartCount).toBe(stopped.RestartCount);
    // start brings it back, and it restarts again by itself.
    await berth(['start', name], { store });
    await waitFor(
      'a restart after start',
      async () => (await inspectContainer(store, name)).RestartCount > later.RestartCount,
      30_000,
    );
    await berth(['rm', '-f', name], { store });
  });
});

describe('at the end', () => {
  it('leaves no container state once everything is removed', async () => {
    await removeAll(store);
    assertNoContainerState(store);
  });
});
