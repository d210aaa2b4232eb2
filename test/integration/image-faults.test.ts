import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness, type TestImageInfo } from '../harness/context.js';
import { assertNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore } from '../harness/store.js';
import { assertStoreConsistent, exited, spawnBerth, startProxy, storeState } from './image-helpers.js';

const ctx = harness();
const imgs = ctx.images;
const stores: TestStore[] = [];

function store(name: string): TestStore {
  const s = newTestStore(name);
  stores.push(s);
  return s;
}

afterAll(async () => {
  for (const s of stores) {
    assertNoLeaks(s);
    await s.cleanup();
  }
});

/** The reference of a harness image as seen through a proxy at `addr`. */
const via = (addr: string, img: TestImageInfo) => `${addr}/${img.repository}:${img.tag}`;

describe('a corrupted layer', () => {
  it('fails with a digest error naming blob and registry, and leaves nothing behind', async () => {
    const img = imgs.busyboxLayered;
    // The small top layer: its download ends long before the base layer's, so the failure
    // arrives while another layer is still being extracted.
    const bad = img.layers[1].digest;
    const proxy = await startProxy(ctx.registry, { corruptBlob: bad });
    const s = store('faults-corrupt');
    try {
      const r = await berth(['pull', via(proxy.addr, img)], { store: s, expectExit: 125 });
      expect(proxy.blobRequests).toContain(bad);
      const err = r.stderr.split('\n').filter((l) => l.startsWith('Error: '));
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/digest/i);
      expect(err[0]).toContain(bad);
      expect(err[0]).toContain(proxy.addr);
      const st = storeState(s);
      expect(st.images).toEqual([]);
      expect(st.layers).toEqual([]);
      expect(st.blobs).toEqual([]);
      expect(st.layerDirs).toEqual([]);
      expect(st.links).toEqual([]);
      expect(st.tmp).toEqual([]);
      // The base layer alone is fine: corrupting it instead fails the same way.
      const proxy2 = await startProxy(ctx.registry, { corruptBlob: img.layers[0].digest });
      try {
        const r2 = await berth(['pull', '-q', via(proxy2.addr, img)], { store: s, expectExit: 125 });
        expect(r2.stderr).toContain(img.layers[0].digest);
        expect(storeState(s).layers).toEqual([]);
        expect(storeState(s).blobs).toEqual([]);
      } finally {
        await proxy2.close();
      }
      // A clean pull afterwards works.
      const ok = await berth(['pull', '-q', img.ref], { store: s });
      expect(ok.stdout.trim()).toBe(img.configDigest.slice(7));
      assertStoreConsistent(s);
    } finally {
      await proxy.close();
    }
  });
});

describe('kill -9 during a pull', () => {
  it('leaves a store the next pull repairs and completes', async () => {
    const img = imgs.owners;
    // About 2 s for the 1+ MB base layer: time enough to land kills in every phase.
    const proxy = await startProxy(ctx.registry, { bytesPerSecond: 600_000 });
    const s = store('faults-kill');
    try {
      const delays = [150, 400, 700, 1000, 1300, 1700];
      for (const ms of delays) {
        const child = spawnBerth(['pull', '-q', via(proxy.addr, img)], s);
        const killAt = ms + Math.floor(Math.random() * 200);
        await new Promise((r) => setTimeout(r, killAt));
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already finished
        }
        await exited(child);
        // Whatever it left must never look like a usable image.
        const st = storeState(s);
        for (const i of st.images) expect(i.incomplete ?? false).toBe(false);
        if (st.images.length) {
          // It finished before the kill: start over so the next kill hits a pull again.
          await berth(['rmi', via(proxy.addr, img)], { store: s });
        }
      }
      const r = await berth(['pull', '-q', via(proxy.addr, img)], { store: s });
      expect(r.stdout.trim()).toBe(img.configDigest.slice(7));
      // The pull's openStore recovered what the killed ones left; nothing is half-made.
      assertStoreConsistent(s);
      const st = storeState(s);
      expect(st.images).toHaveLength(1);
      expect(st.layers.map((l) => l.diffId).sort()).toEqual(img.layers.map((l) => l.diffId).sort());
      expect(st.tmp).toEqual([]);
      await berth(['image', 'exists', via(proxy.addr, img)], { store: s });
    } finally {
      await proxy.close();
    }
  });
});

describe('concurrent pulls', () => {
  it('10 pulls of the same and different images into one store all succeed and share layers', async () => {
    const s = store('faults-concurrent');
    const refs = [
      imgs.busybox,
      imgs.busybox,
      imgs.busyboxLayered,
      imgs.busyboxLayered,
      imgs.owners,
      imgs.owners,
      imgs.busyboxOci,
      imgs.busyboxZstd,
      imgs.busyboxPlain,
      imgs.multiarch,
    ].map((i) => i.ref);
    const results = await Promise.all(refs.map((ref) => berth(['pull', '-q', ref], { store: s })));
    const amd = imgs.multiarch.platforms.find((p) => p.architecture === 'amd64')!;
    const want = [
      imgs.busybox,
      imgs.busybox,
      imgs.busyboxLayered,
      imgs.busyboxLayered,
      imgs.owners,
      imgs.owners,
      imgs.busyboxOci,
      imgs.busyboxZstd,
      imgs.busyboxPlain,
      amd,
    ].map((i) => i.configDigest.slice(7));
    expect(results.map((r) => r.stdout.trim())).toEqual(want);
    assertStoreConsistent(s);
    const st = storeState(s);
    // busybox (4 names), layered, owners, multiarch/amd64.
    expect(st.images).toHaveLength(4);
    // One base layer for all, plus the tops of layered, owners and multiarch.
    expect(st.layers).toHaveLength(4);
    const base = imgs.busybox.layers[0].diffId;
    expect(st.layers.filter((l) => l.diffId === base)).toHaveLength(1);
    const baseId = st.images.find((i) => i.id === imgs.busybox.configDigest.slice(7))!.layers[0];
    for (const i of st.images) expect(i.layers[0]).toBe(baseId);
    const names = (await berth(['images', '--format', '{{.Repository}}:{{.Tag}}'], { store: s })).stdout;
    for (const img of [imgs.busybox, imgs.busyboxLayered, imgs.owners, imgs.busyboxOci, imgs.multiarch]) {
      expect(names).toContain(`${ctx.registry}/${img.repository}:${img.tag}\n`);
    }
  });
});

beforeAll(() => {
  expect(imgs.busyboxLayered.layers).toHaveLength(2);
});
