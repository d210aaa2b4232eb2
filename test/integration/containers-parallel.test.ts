import { describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { uniqueName } from '../harness/store.js';
import {
  assertNoContainerState,
  berthAnyExit,
  monitorsOf,
  psNames,
  fileStore,
  settle,
} from './containers-helpers.js';

/** Many berth processes at once on one store: 50 `run -d`, then 50 `rm -f`. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const N = 50;
const store = fileStore('containers-parallel', { pull: busybox });

describe('50 at once', () => {
  it('50 parallel run -d all succeed and show in ps; 50 parallel rm -f leave nothing', async () => {
    const prefix = uniqueName('par');
    const names = Array.from({ length: N }, (_, i) => `${prefix}-${i}`);
    const runs = await Promise.all(
      names.map((n) =>
        berthAnyExit(['run', '-d', '--name', n, busybox, 'sh', '-c', 'while :; do sleep 1; done'], store),
      ),
    );
    const failed = runs.map((r, i) => ({ ...r, name: names[i] })).filter((r) => r.exitCode !== 0);
    expect(failed.map((f) => `${f.name}: exit ${f.exitCode}: ${f.stderr.trim()}`)).toEqual([]);
    const ids = runs.map((r) => r.stdout.trim());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(ids).size).toBe(N);

    const ps = await berth(['ps', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}'], { store });
    const rows = ps.stdout.trimEnd().split('\n').sort();
    expect(rows).toEqual(names.map((n, i) => `${ids[i]} ${n} running`).sort());
    expect(monitorsOf(store)).toHaveLength(N);

    const rms = await Promise.all(names.map((n) => berthAnyExit(['rm', '-f', n], store)));
    const rmFailed = rms.map((r, i) => ({ ...r, name: names[i] })).filter((r) => r.exitCode !== 0);
    expect(rmFailed.map((f) => `${f.name}: exit ${f.exitCode}: ${f.stderr.trim()}`)).toEqual([]);
    for (const [i, r] of rms.entries()) expect(r.stdout).toBe(`${names[i]}\n`);
    expect(await psNames(store)).toEqual([]);
    await settle(store);
    assertNoContainerState(store);
  }, 300_000);
});
