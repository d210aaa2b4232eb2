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
  settle,
  spawnBerthPiped,
  waitFor,
} from './containers-helpers.js';

/** The smaller verbs: logs options, attach, top, rename, exists, prune, pause. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const store = fileStore('containers-verbs', { pull: busybox });

const LOOP = 'while :; do sleep 0.1; done';

async function runD(name: string, script: string, extra: string[] = []): Promise<string> {
  const r = await berth(['run', '-d', '--name', name, ...extra, busybox, 'sh', '-c', script], { store });
  return r.stdout.trim();
}

const logsOf = async (name: string, extra: string[] = []) =>
  (await berth(['logs', ...extra, name], { store })).stdout;

describe('logs', () => {
  it('--tail, --since, --until and -t', async () => {
    const name = uniqueName('logs');
    await runD(name, 'echo one; echo two; sleep 1.5; echo three; echo four');
    await waitFor('all lines', async () => (await logsOf(name)) === 'one\ntwo\nthree\nfour\n');
    expect(await logsOf(name, ['--tail', '2'])).toBe('three\nfour\n');
    expect(await logsOf(name, ['-n', '0'])).toBe('');
    expect(await logsOf(name, ['--tail', 'all'])).toBe('one\ntwo\nthree\nfour\n');
    const stamped = (await logsOf(name, ['-t'])).trimEnd().split('\n');
    expect(stamped).toHaveLength(4);
    const times = stamped.map((l) => Date.parse(l.split(' ')[0]));
    for (const t of times) expect(t).not.toBeNaN();
    // The sleep splits the lines in two groups a second and more apart: since/until cut between.
    const cut = new Date((times[1] + times[2]) / 2).toISOString();
    expect(await logsOf(name, ['--since', cut])).toBe('three\nfour\n');
    expect(await logsOf(name, ['--until', cut])).toBe('one\ntwo\n');
    expect(await logsOf(name, ['--since', '1h'])).toBe('one\ntwo\nthree\nfour\n');
    const missing = await berth(['logs', uniqueName('nope')], { store, expectExit: 125 });
    expect(missing.stderr).toMatch(/^Error: .*no such container/im);
    await berth(['rm', name], { store });
  });
});

describe('attach', () => {
  it('attaches to a running container, sees its output and exit code', async () => {
    const name = uniqueName('attach');
    await runD(name, 'echo early; read line; echo "got $line"; exit 12', ['-i']);
    const child = spawnBerthPiped(['attach', name], store, { stdio: 'pipe' });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    // Attach does not replay the log: only what the container writes from now on.
    await new Promise((r) => setTimeout(r, 1000));
    child.stdin?.write('hello\n');
    const code = await Promise.race([
      exitOf(child),
      new Promise<string>((r) => setTimeout(() => r('timeout'), 20_000)),
    ]);
    if (code === 'timeout') process.kill(-child.pid!, 'SIGKILL');
    expect(code).toBe(12);
    expect(out).toBe('got hello\n');
    expect(await psStatus(store, name)).toMatch(/^Exited \(12\) /);
    const stopped = await berth(['attach', name], { store, expectExit: 125 });
    expect(stopped.stderr).toMatch(/^Error: /m);
    await berth(['rm', name], { store });
  });
});

describe('top, rename, exists', () => {
  it('top lists the container processes', async () => {
    const name = uniqueName('top');
    await runD(name, `sleep 1000 & ${LOOP}`);
    await waitFor('the sleep', async () =>
      (await berth(['top', name], { store })).stdout.includes('sleep 1000'),
    );
    const top = await berth(['container', 'top', name], { store });
    const [header, ...rows] = top.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(rows.some((r) => /^root\s+\d+\s+\d+\s.*sh -c sleep 1000 & while/.test(r))).toBe(true);
    expect(rows.some((r) => /sleep 1000$/.test(r))).toBe(true);
    const pidOnly = await berth(['top', name, '-o', 'pid,comm'], { store });
    expect(pidOnly.stdout.split('\n')[0]).toMatch(/^\s*PID\s+COMMAND$/);
    await berth(['stop', '-t', '0', name], { store });
    const stopped = await berth(['top', name], { store, expectExit: 125 });
    expect(stopped.stderr).toMatch(/^Error: /m);
    await berth(['rm', name], { store });
  });

  it('rename changes the name everywhere and frees the old one; exists answers 0 or 1', async () => {
    const a = uniqueName('rena');
    const b = uniqueName('renb');
    const other = uniqueName('other');
    const id = await runD(a, LOOP);
    await berth(['create', '--name', other, busybox], { store });
    await berth(['container', 'exists', a], { store });
    await berth(['container', 'exists', b], { store, expectExit: 1 });
    await berth(['rename', a, b], { store });
    expect((await inspectContainer(store, id)).Name).toBe(`/${b}`);
    await berth(['container', 'exists', a], { store, expectExit: 1 });
    await berth(['container', 'exists', b], { store });
    expect(await psNames(store)).toEqual(expect.arrayContaining([b, other]));
    expect(await psNames(store)).not.toContain(a);
    // The old name is free; a taken or invalid one is refused.
    await berth(['create', '--name', a, busybox], { store });
    const taken = await berth(['rename', b, other], { store, expectExit: 125 });
    expect(taken.stderr).toMatch(/^Error: .*already in use/m);
    const bad = await berth(['container', 'rename', b, 'bad/name'], { store, expectExit: 125 });
    expect(bad.stderr).toMatch(/^Error: .*invalid/im);
    // exec and stop find it under the new name.
    expect((await berth(['exec', b, 'echo', 'renamed'], { store })).stdout).toBe('renamed\n');
    await berth(['rm', '-f', a, b, other], { store });
  });
});

describe('prune', () => {
  it('container prune removes stopped containers only and names them', async () => {
    const running = uniqueName('keep');
    const exited = uniqueName('gone');
    const created = uniqueName('gonec');
    const labelled = uniqueName('keepl');
    await runD(running, LOOP);
    await berth(['run', '--name', exited, busybox, 'true'], { store });
    await berth(['create', '--name', created, busybox], { store });
    await berth(['run', '--name', labelled, '--label', 'keep=yes', busybox, 'true'], { store });
    const exitedId = (await inspectContainer(store, exited)).Id;
    const labelledId = (await inspectContainer(store, labelled)).Id;
    const filtered = await berth(['container', 'prune', '-f', '--filter', 'label=keep=yes'], { store });
    expect(filtered.stdout).toMatch(/^Deleted Containers:\n/);
    expect(filtered.stdout).toContain(labelledId);
    expect(filtered.stdout).not.toContain(exitedId);
    expect(await psNames(store)).not.toContain(labelled);
    const r = await berth(['container', 'prune', '-f'], { store });
    expect(r.stdout).toContain(exitedId);
    expect(await psNames(store)).toEqual([running]);
    await berth(['rm', '-f', running], { store });
  });
});

describe('pause', () => {
  it('pause freezes and unpause resumes, or the refusal is one clear error', async () => {
    const name = uniqueName('pause');
    await runD(name, LOOP);
    const r = await berthAnyExit(['pause', name], store);
    if (r.exitCode === 0) {
      expect(r.stdout).toBe(`${name}\n`);
      const i = await inspectContainer(store, name);
      expect(i.State).toMatchObject({ Status: 'paused', Paused: true, Running: true });
      expect(await psStatus(store, name)).toMatch(/\(Paused\)$/);
      await berth(['unpause', name], { store });
      expect((await inspectContainer(store, name)).State).toMatchObject({ Status: 'running', Paused: false });
    } else {
      // Rootless on cgroup v1 the runtime has no freezer for the container.
      expect(r.exitCode).toBe(125);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(1);
      expect((await inspectContainer(store, name)).State.Status).toBe('running');
    }
    const notPaused = await berth(['unpause', name], { store, expectExit: 125 });
    expect(notPaused.stderr).toMatch(/^Error: .*not paused/m);
    await berth(['rm', '-f', name], { store });
  });
});

describe('at the end', () => {
  it('leaves no container state once everything is removed', async () => {
    await removeAll(store);
    await settle(store);
    assertNoContainerState(store);
  });
});
