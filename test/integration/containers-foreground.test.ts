import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth, runAs } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { uniqueName } from '../harness/store.js';
import {
  assertNoContainerState,
  containerState,
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

/** Signals, detach keys, stop signals and --rm of detached containers. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const store = fileStore('containers-foreground', { pull: busybox });

const LOOP = 'while :; do sleep 0.1; done';

describe('foreground runs', () => {
  it('proxies SIGTERM to the container and exits with its code', async () => {
    const name = uniqueName('sigproxy');
    const child = spawnBerthPiped(
      [
        'run',
        '--rm',
        '--name',
        name,
        busybox,
        'sh',
        '-c',
        `trap 'echo got-term; exit 7' TERM; echo ready; ${LOOP}`,
      ],
      store,
      { stdio: 'pipe' },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    await waitFor('the container to be ready', () => out.includes('ready\n'));
    // Only the CLI gets the signal (not its process group): berth must pass it on.
    process.kill(child.pid!, 'SIGTERM');
    const code = await Promise.race([
      exitOf(child),
      new Promise<string>((r) => setTimeout(() => r('timeout'), 20_000)),
    ]);
    if (code === 'timeout') process.kill(-child.pid!, 'SIGKILL');
    expect(code).toBe(7);
    expect(out).toBe('ready\ngot-term\n');
    await settle(store);
    expect(await psNames(store)).not.toContain(name);
  });

  it('Ctrl-P Ctrl-Q detaches an -it run and leaves the container running', async () => {
    const name = uniqueName('detachkeys');
    const berthBin = join(ctx.repoRoot, 'bin', 'berth');
    const cmd = `${berthBin} --root ${store.root} --runroot ${store.runRoot} run -it --name ${name} ${busybox} sh`;
    // script gives berth a terminal; its stdin (this input) is typed into it.
    // Type only once the container runs (a loaded machine can take seconds to get there).
    const running = `${berthBin} --root ${store.root} --runroot ${store.runRoot} inspect --format '{{.State.Running}}' ${name}`;
    const wait = `i=0; until ${running} 2>/dev/null | grep -q true || [ $i -ge 200 ]; do sleep 0.2; i=$((i+1)); done; sleep 1`;
    const slow = `${wait}; printf 'echo typed-$((6*7))\\n'; sleep 1; printf '\\020\\021'; sleep 2`;
    const r = await runAs('sh', ['-c', `(${slow}) | script -qec '${cmd}' /dev/null`], { timeoutMs: 60_000 });
    expect(r.stdout.replace(/\r/g, '')).toContain('typed-42');
    expect((await inspectContainer(store, name)).State.Running).toBe(true);
    expect(await psStatus(store, name)).toMatch(/^Up /);
    await berth(['rm', '-f', name], { store });
  });

  it('-a stdout attaches only stdout', async () => {
    const r = await berth(['run', '--rm', '-a', 'stdout', busybox, 'sh', '-c', 'echo o; echo e >&2'], {
      store,
    });
    expect(r.stdout).toBe('o\n');
    expect(r.stderr).toBe('');
  });
});

describe('detached runs', () => {
  it('run -d --rm removes the container once it exits by itself', async () => {
    const name = uniqueName('drm');
    const before = containerState(store);
    await berth(['run', '-d', '--rm', '--name', name, busybox, 'sh', '-c', 'sleep 0.5'], { store });
    expect(await psNames(store)).toContain(name);
    await waitFor('the container to be removed', async () => !(await psNames(store)).includes(name), 20_000);
    await settle(store);
    expect(containerState(store)).toEqual(before);
  });

  it('--stop-signal is what stop sends', async () => {
    const name = uniqueName('stopsig');
    await berth(
      [
        'run',
        '-d',
        '--name',
        name,
        '--stop-signal',
        'USR1',
        busybox,
        'sh',
        '-c',
        `trap 'exit 11' USR1; echo ready; ${LOOP}`,
      ],
      { store },
    );
    await waitFor('the trap', async () => (await berth(['logs', name], { store })).stdout === 'ready\n');
    expect((await inspectContainer(store, name)).Config).toMatchObject({ StopSignal: 'SIGUSR1' });
    const t0 = Date.now();
    await berth(['stop', name], { store });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await inspectContainer(store, name)).State.ExitCode).toBe(11);
    await berth(['rm', name], { store });
  });

  it('--restart unless-stopped restarts on exit but never after stop, however they interleave', async () => {
    const name = uniqueName('unless');
    await berth(
      ['run', '-d', '--name', name, '--restart', 'unless-stopped', busybox, 'sh', '-c', 'sleep 0.3; exit 2'],
      {
        store,
      },
    );
    // The container exits every 0.3 s, so a stop races with exit commands about to restart it.
    for (let round = 0; round < 3; round++) {
      const base = (await inspectContainer(store, name)).RestartCount;
      await waitFor(
        'a restart',
        async () => (await inspectContainer(store, name)).RestartCount > base,
        20_000,
      );
      await berth(['stop', '-t', '1', name], { store });
      const n = (await inspectContainer(store, name)).RestartCount;
      await new Promise((r) => setTimeout(r, 1500));
      const after = await inspectContainer(store, name);
      expect(after.State.Status, `round ${round}`).toBe('exited');
      expect(after.RestartCount, `round ${round}`).toBe(n);
      await berth(['start', name], { store });
    }
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
