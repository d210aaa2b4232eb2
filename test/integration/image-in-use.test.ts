import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { waitForNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore, uniqueName } from '../harness/store.js';

const { images } = harness();
let store: TestStore;

beforeAll(() => {
  store = newTestStore('image-in-use');
});
afterAll(async () => {
  await waitForNoLeaks(store, { timeoutMs: 10_000 });
  await store.cleanup();
});

describe('images used by containers', () => {
  it('rmi and image prune refuse them; rmi -f removes the containers first (Podman)', async () => {
    const ref = images.busybox.ref;
    await berth(['pull', '-q', ref], { store });
    const name = uniqueName('user');
    const id = (await berth(['create', '--name', name, ref, 'true'], { store })).stdout.trim();
    const r = await berth(['rmi', ref], { store, expectExit: 125 });
    expect(r.stderr.trim()).toBe(
      `Error: conflict: unable to remove image ${images.busybox.configDigest.slice(7, 19)}: image is in use by container ${id.slice(0, 12)}`,
    );
    await berth(['image', 'prune', '-a', '-f'], { store });
    expect((await berth(['images', '-q'], { store })).stdout.trim()).toBe(
      images.busybox.configDigest.slice(7, 19),
    );
    const f = await berth(['rmi', '-f', ref], { store });
    expect(f.stdout).toContain(`Deleted: ${images.busybox.configDigest}`);
    expect((await berth(['ps', '-aq'], { store })).stdout.trim()).toBe('');
    expect((await berth(['images', '-q'], { store })).stdout.trim()).toBe('');
  });
});
