import { describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { uniqueName } from '../harness/store.js';
import {
  assertNoContainerState,
  berthAnyExit,
  containerState,
  exitOf,
  inspectContainer,
  psNames,
  fileStore,
  settle,
  spawnBerthPiped,
} from './containers-helpers.js';

/**
 * Crash safety: kill -9 of a `run -d`, `create` or `rm -f` process group at random moments; the
 * next `rm -f NAME` must clear whatever it left, and the same name must run again.
 */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const ROUNDS = 18;
const MAX_ROUNDS = 45;
const store = fileStore('containers-crash', { pull: busybox });

const LOOP = ['sh', '-c', 'while :; do sleep 1; done'];

async function killGroupAfter(args: string[], delayMs: number): Promise<number | null> {
  const child = spawnBerthPiped(args, store);
  await new Promise((r) => setTimeout(r, delayMs));
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // it finished first
  }
  return exitOf(child);
}

describe('kill -9 at random moments', () => {
  it(`${ROUNDS}+ rounds of run -d / create / rm -f killed part-way, each cleared by rm -f`, async () => {
    const ops = ['run', 'create', 'rm'] as const;
    const log: string[] = [];
    let interrupted = 0;
    // How long each command takes uninterrupted on this machine: kills land inside that span,
    // so the rounds really cut commands short on fast and slow machines alike.
    const span: Record<(typeof ops)[number], number> = { run: 0, create: 0, rm: 0 };
    for (const op of ops) {
      const name = uniqueName(`calib-${op}`);
      if (op === 'rm') await berth(['run', '-d', '--name', name, busybox, ...LOOP], { store });
      const t0 = Date.now();
      await berth(
        op === 'run'
          ? ['run', '-d', '--name', name, busybox, ...LOOP]
          : op === 'create'
            ? ['create', '--name', name, busybox, ...LOOP]
            : ['rm', '-f', name],
        { store },
      );
      span[op] = Date.now() - t0;
      if (op !== 'rm') await berth(['rm', '-f', name], { store });
    }
    log.push(`uninterrupted: run -d ${span.run} ms, create ${span.create} ms, rm -f ${span.rm} ms`);
    // Kills early in a command's span often land before it has made anything (the Node start),
    // which proves little: aim at its second half, and go on (within bounds) until enough
    // rounds really cut a command short with something left to clear.
    for (let round = 0; round < MAX_ROUNDS && (round < ROUNDS || interrupted < ROUNDS / 3); round++) {
      const op = ops[round % ops.length];
      const name = uniqueName(`crash-${op}`);
      const delay = Math.floor(span[op] * (0.4 + 0.6 * Math.random()));
      log.push(`round ${round}: ${op} killed after ${delay} ms`);
      if (op === 'rm') await berth(['run', '-d', '--name', name, busybox, ...LOOP], { store });
      const args =
        op === 'run'
          ? ['run', '-d', '--name', name, busybox, ...LOOP]
          : op === 'create'
            ? ['create', '--name', name, busybox, ...LOOP]
            : ['rm', '-f', name];
      const code = await killGroupAfter(args, delay);

      // Other commands keep working beside what the killed one left.
      await berth(['ps', '-a'], { store });
      // Whatever is left, rm -f clears it (a container that was never recorded is "no such").
      const rm = await berthAnyExit(['rm', '-f', name], store);
      log.push(`  ${code === null ? 'killed' : `finished (${code})`}; rm -f after it: exit ${rm.exitCode}`);
      if (code === null && rm.exitCode === 0) interrupted += 1;
      // Other work on the machine changes how long commands take: follow it. A command that
      // finished first, or an rm that had already removed everything, wants an earlier kill; a
      // run or create killed before it made anything wants a later one.
      if (code !== null || (op === 'rm' && rm.exitCode !== 0)) span[op] = Math.max(20, delay * 0.8);
      else if (rm.exitCode !== 0) span[op] = Math.min(span[op] * 2, (delay / 0.4) * 1.25);
      if (rm.exitCode !== 0) expect(rm.stderr, log.join('\n')).toMatch(/no such container/i);
      expect(await psNames(store), log.join('\n')).not.toContain(name);

      // And the same name runs again, for real.
      const again = await berthAnyExit(['run', '-d', '--name', name, busybox, ...LOOP], store);
      expect(again.exitCode, `${log.join('\n')}\n${again.stderr}`).toBe(0);
      const info = await inspectContainer(store, name);
      expect(info.State.Running).toBe(true);
      await berth(['rm', '-f', name], { store });
    }
    if (process.env.BERTH_TEST_VERBOSE) console.log(log.join('\n'));
    // Most rounds must really have cut a command short with something left to clear.
    expect(interrupted, log.join('\n')).toBeGreaterThanOrEqual(ROUNDS / 3);
    await settle(store);
    expect(await psNames(store)).toEqual([]);
    // Nothing left: no record, name, persist dir, exit file, runtime state, mount or monitor.
    const left = containerState(store);
    expect(left, log.join('\n')).toEqual({
      containerDirs: [],
      names: [],
      persistDirs: [],
      exitFiles: [],
      runtimeDirs: [],
    });
    assertNoContainerState(store);
  }, 600_000);
});
