import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { waitForNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore, uniqueName } from '../harness/store.js';
import {
  assertNoContainerState,
  inspectContainer,
  monitorsOf,
  psNames,
  psStatus,
  removeAll,
  settle,
} from './containers-helpers.js';

/** Root mode: the same commands as root, with root's own store (no user namespace). */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
let store: TestStore;

describe.runIf(ctx.isRoot)('as root', () => {
  const root = (args: string[], opts: { expectExit?: number; input?: string } = {}) =>
    berth(args, { store, as: 'root', ...opts });

  beforeAll(async () => {
    store = newTestStore('containers-root');
    await root(['pull', '-q', busybox]);
  });
  afterAll(async () => {
    await removeAll(store, 'root');
    await settle(store);
    assertNoContainerState(store);
    await waitForNoLeaks(store);
    await store.cleanup();
  });

  it('run in the foreground: output, exit code, user, stdin, --rm', async () => {
    const r = await root(['run', '--rm', busybox, 'sh', '-c', 'id -u; echo err >&2; exit 3'], {
      expectExit: 3,
    });
    expect(r.stdout).toBe('0\n');
    expect(r.stderr).toBe('err\n');
    expect((await root(['run', '--rm', '-u', 'tester', busybox, 'id', '-u'])).stdout).toBe('1000\n');
    expect((await root(['run', '--rm', '-i', busybox, 'cat'], { input: 'hi\n' })).stdout).toBe('hi\n');
    await root(['run', '--rm', busybox, 'nosuchcmd'], { expectExit: 127 });
    // Root's containers really run as root of the host: no user namespace in between.
    const uidMap = await root(['run', '--rm', busybox, 'cat', '/proc/self/uid_map']);
    expect(uidMap.stdout.trim().split(/\s+/)).toEqual(['0', '0', '4294967295']);
    expect(await psNames(store, true, 'root')).toEqual([]);
  });

  it('run -d, ps, exec, stop, start, rm', async () => {
    const name = uniqueName('rootd');
    const d = await root([
      'run',
      '-d',
      '--name',
      name,
      busybox,
      'sh',
      '-c',
      "trap 'exit 9' TERM; while :; do sleep 0.1; done",
    ]);
    const id = d.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const info = await inspectContainer(store, name, 'root');
    expect(info.State.Running).toBe(true);
    expect(existsSync(`/proc/${info.State.Pid}`)).toBe(true);
    expect(monitorsOf(store)).toHaveLength(1);
    const ps = await root(['ps', '--format', '{{.ID}} {{.Names}} {{.Status}}']);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)} ${name} Up `, 'm'));
    expect((await root(['exec', name, 'sh', '-c', 'echo in-$(hostname)'])).stdout).toBe(
      `in-${id.slice(0, 12)}\n`,
    );
    await root(['exec', name, 'sh', '-c', 'exit 6'], { expectExit: 6 });
    const stopped = await root(['stop', name]);
    expect(stopped.stdout).toBe(`${name}\n`);
    expect((await inspectContainer(store, name, 'root')).State.ExitCode).toBe(9);
    const refused = await root(['exec', name, 'true'], { expectExit: 125 });
    expect(refused.stderr).toMatch(/^Error: /m);
    await root(['start', name]);
    expect((await inspectContainer(store, name, 'root')).State.Running).toBe(true);
    await root(['kill', name]);
    expect((await root(['wait', name])).stdout).toBe('137\n');
    expect(await psStatus(store, name, 'root')).toMatch(/^Exited \(137\) /);
    await root(['rm', name]);
    expect(await root(['ps', '-a', '-q'])).toMatchObject({ stdout: '' });
  });
});
