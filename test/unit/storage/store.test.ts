import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chainIds, sha256Digest } from '../../../src/storage/digest.js';
import { type ImageRecord, type Store, openStore } from '../../../src/storage/store.js';
import { bundle, runNode } from './helpers.js';

let root: string;
let store: Store;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'berth-store-'));
  store = await openStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const diff = (s: string) => `sha256:${hex(`diff ${s}`)}`;

/** Layer specs for a stack of named diffs, ids as chain IDs. */
function stack(...names: string[]) {
  const diffIds = names.map(diff);
  const ids = chainIds(diffIds).map((d) => d.slice(7));
  return ids.map((id, i) => ({ id, diffId: diffIds[i], ...(i > 0 ? { parent: ids[i - 1] } : {}) }));
}

async function makeLayers(specs: ReturnType<typeof stack>) {
  for (const s of specs) {
    await store.createLayer(s, async (d) => {
      writeFileSync(join(d, 'f'), s.id);
      return { size: s.id.length };
    });
  }
}

async function makeImage(tag: string, specs: ReturnType<typeof stack>, extra: Partial<ImageRecord> = {}) {
  await makeLayers(specs);
  const configDigest = await store.putBlob(`config ${tag} ${specs.map((s) => s.id).join()}`);
  const manifestDigest = await store.putBlob(`manifest ${tag}`);
  return store.putImage({
    id: configDigest.slice(7),
    names: [tag],
    digests: [],
    manifestDigest,
    configDigest,
    layers: specs.map((s) => s.id),
    created: new Date().toISOString(),
    ...extra,
  });
}

describe('chainIds', () => {
  it('follows the OCI definition', () => {
    const [a, b, c] = [diff('a'), diff('b'), diff('c')];
    const ids = chainIds([a, b, c]);
    expect(ids[0]).toBe(a);
    expect(ids[1]).toBe(`sha256:${createHash('sha256').update(`${a} ${b}`).digest('hex')}`);
    expect(ids[2]).toBe(`sha256:${createHash('sha256').update(`${ids[1]} ${c}`).digest('hex')}`);
  });
});

describe('blobs', () => {
  it('stores, finds and reads blobs by digest', async () => {
    const d = await store.putBlob('hello');
    expect(d).toBe(sha256Digest('hello'));
    expect(await store.hasBlob(d)).toBe(true);
    expect((await store.readBlob(d)).toString()).toBe('hello');
    expect(store.blobPath(d)).toBe(join(root, 'blobs/sha256', d.slice(7)));
    await expect(store.readBlob(sha256Digest('nope'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('streams through a writer and verifies on commit', async () => {
    const data = Buffer.alloc(300_000, 7);
    const w = store.createBlobWriter(sha256Digest(data));
    await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), w);
    await w.commit();
    expect(readFileSync(store.blobPath(sha256Digest(data))).equals(data)).toBe(true);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses a digest mismatch and leaves nothing behind', async () => {
    const claimed = sha256Digest('what the manifest promised');
    const w = store.createBlobWriter(claimed);
    w.end('something else');
    await expect(w.commit()).rejects.toThrow(
      `writing blob ${claimed}: digest mismatch: the content has digest ${sha256Digest('something else')}`,
    );
    expect(await store.hasBlob(claimed)).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(readdirSync(join(root, 'blobs/sha256'))).toEqual([]);
  });

  it('abort drops the temp file', async () => {
    const w = store.createBlobWriter(sha256Digest('x'));
    w.write('x');
    await w.abort();
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(() => sha256Digest('x') && store.createBlobWriter('sha256:zz')).toThrow(/invalid digest/);
  });
});

describe('layers', () => {
  it('creates layers with short links and diff paths', async () => {
    const specs = stack('base', 'top');
    await makeLayers(specs);
    const top = (await store.getLayer(specs[1].id))!;
    expect(top).toMatchObject({ id: specs[1].id, parent: specs[0].id, diffId: specs[1].diffId, size: 64 });
    expect(top.incomplete).toBeUndefined();
    expect(top.shortId).toMatch(/^[A-Z2-7]{26}$/);
    expect(readFileSync(join(root, 'layers', top.id, 'link'), 'utf8')).toBe(top.shortId);
    const paths = await store.layerDiffPaths([specs[1].id, specs[0].id]);
    expect(paths[0]).toBe(join(root, 'l', top.shortId));
    expect(realpathSync(paths[0])).toBe(realpathSync(store.layerDiffDir(top.id)));
    expect(readFileSync(join(paths[1], 'f'), 'utf8')).toBe(specs[0].id);
    expect(await store.hasLayer(specs[0].id)).toBe(true);
  });

  it('reuses an existing layer without populating again', async () => {
    const [s] = stack('once');
    await makeLayers([s]);
    let called = false;
    const r = await store.createLayer(s, async () => {
      called = true;
      return { size: 0 };
    });
    expect(r.reused).toBe(true);
    expect(called).toBe(false);
  });

  it('requires the parent layer', async () => {
    const specs = stack('p', 'c');
    await expect(store.createLayer(specs[1], async () => ({ size: 0 }))).rejects.toThrow(/parent layer/);
    expect(await store.listLayers()).toEqual([]);
  });

  it('removes the record and directory when populate fails', async () => {
    const [s] = stack('broken');
    await expect(
      store.createLayer(s, async (d) => {
        writeFileSync(join(d, 'partial'), 'x');
        throw new Error('tar is corrupt');
      }),
    ).rejects.toThrow('tar is corrupt');
    expect(await store.listLayers()).toEqual([]);
    expect(existsSync(join(root, 'layers', s.id))).toBe(false);
    expect(readdirSync(join(root, 'l'))).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses to remove a layer an image or another layer uses', async () => {
    const specs = stack('used', 'on-top');
    await makeImage('docker.io/library/a:1', specs);
    await expect(store.removeLayer(specs[1].id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.removeLayer(specs[0].id)).rejects.toMatchObject({ code: 'conflict' });
    const [lone] = stack('lone');
    await makeLayers([lone]);
    await store.removeLayer(lone.id);
    expect(await store.hasLayer(lone.id)).toBe(false);
    expect(existsSync(join(root, 'layers', lone.id))).toBe(false);
  });
});

describe('images', () => {
  it('puts, lists, finds by name, digest, id and prefix', async () => {
    const img = await makeImage('docker.io/library/busybox:latest', stack('bb'), {
      digests: ['docker.io/library/busybox@sha256:' + hex('m')],
    });
    expect((await store.listImages()).map((i) => i.id)).toEqual([img.id]);
    expect((await store.findImage('docker.io/library/busybox:latest'))?.id).toBe(img.id);
    expect((await store.findImage(`docker.io/library/busybox@sha256:${hex('m')}`))?.id).toBe(img.id);
    expect((await store.findImage(img.id))?.id).toBe(img.id);
    expect((await store.findImage(`sha256:${img.id}`))?.id).toBe(img.id);
    expect((await store.findImage(img.id.slice(0, 12)))?.id).toBe(img.id);
    expect(await store.findImage('docker.io/library/other:latest')).toBeUndefined();
    expect(await store.findImage('ffffffffffff')).toBeUndefined();
    expect((await store.getImage(img.id))?.names).toEqual(['docker.io/library/busybox:latest']);
  });

  it('reports an ambiguous id prefix', async () => {
    const imgs: ImageRecord[] = [];
    for (let i = 0; imgs.length < 2 || imgs[0].id[0] !== imgs[imgs.length - 1].id[0]; i++) {
      imgs.push(await makeImage(`x/img:${i}`, stack(`amb${i}`)));
    }
    await expect(store.findImage(imgs[0].id[0])).rejects.toMatchObject({ code: 'ambiguous' });
  });

  it('moves a name from one image to another, as docker tag does', async () => {
    const a = await makeImage('r/app:latest', stack('a'));
    const b = await makeImage('r/app:new', stack('b'));
    await store.addNames(b.id, ['r/app:latest']);
    expect((await store.getImage(a.id))?.names).toEqual([]);
    expect((await store.getImage(b.id))?.names).toEqual(['r/app:new', 'r/app:latest']);
    await store.removeNames(b.id, ['r/app:new']);
    expect((await store.findImage('r/app:latest'))?.id).toBe(b.id);
    expect(await store.findImage('r/app:new')).toBeUndefined();
  });

  it('refuses an image whose layers or blobs are missing', async () => {
    const configDigest = await store.putBlob('c');
    const rec = {
      id: configDigest.slice(7),
      names: [],
      digests: [],
      manifestDigest: configDigest,
      configDigest,
      layers: [stack('absent')[0].id],
      created: '',
    };
    await expect(store.putImage(rec)).rejects.toThrow(/layer .* is not in the store/);
    await expect(store.putImage({ ...rec, layers: [], manifestDigest: sha256Digest('m?') })).rejects.toThrow(
      /blob .* is not in the store/,
    );
  });

  it('removeImage removes unshared layers and blobs, keeps shared ones', async () => {
    const shared = stack('shared', 'only-a');
    const b = stack('shared', 'only-b');
    const imgA = await makeImage('r/a:1', shared);
    const imgB = await makeImage('r/b:1', b);
    expect((await store.listLayers()).length).toBe(3);
    const report = await store.removeImage(imgA.id);
    expect(report.removedLayers).toEqual([shared[1].id]);
    expect(report.removedBlobs.sort()).toEqual([imgA.configDigest, imgA.manifestDigest].sort());
    expect(await store.hasLayer(shared[0].id)).toBe(true);
    expect(await store.hasLayer(shared[1].id)).toBe(false);
    expect(existsSync(join(root, 'layers', shared[1].id))).toBe(false);
    expect(await store.hasBlob(imgB.configDigest)).toBe(true);
    expect(await store.hasBlob(imgA.configDigest)).toBe(false);
    await store.removeImage(imgB.id);
    expect(await store.listLayers()).toEqual([]);
    expect(readdirSync(join(root, 'l'))).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('a second Store on the same root sees changes (last-write token)', async () => {
    const other = await openStore(root);
    expect(await other.listImages()).toEqual([]);
    const img = await makeImage('r/seen:1', stack('seen'));
    expect((await other.listImages()).map((i) => i.id)).toEqual([img.id]);
    await other.addNames(img.id, ['r/seen:2']);
    expect((await store.getImage(img.id))?.names).toEqual(['r/seen:1', 'r/seen:2']);
  });
});

describe('across processes', () => {
  let worker: string;
  beforeAll(async () => {
    worker = await bundle(resolve(import.meta.dirname, 'fixtures/store-worker.ts'));
  });
  afterAll(() => rmSync(dirname(worker), { recursive: true, force: true }));

  it('recovers an incomplete layer left by a process killed mid-populate', async () => {
    const [s] = stack('doomed');
    const child = runNode(worker, [JSON.stringify({ root, action: 'die-populating', layers: [s] })]);
    await child.waitFor('populating');
    // While the creator lives, recovery leaves its layer alone.
    await openStore(root);
    expect((await store.listLayers()).map((l) => [l.id, l.incomplete])).toEqual([[s.id, true]]);
    child.kill('SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');

    await openStore(root);
    expect(await store.listLayers()).toEqual([]);
    expect(existsSync(join(root, 'layers', s.id))).toBe(false);
    expect(readdirSync(join(root, 'l'))).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    // And the layer can be made again.
    await makeLayers([s]);
    expect(await store.hasLayer(s.id)).toBe(true);
  });

  it('a killed creator does not block the next creator, which rebuilds the layer', async () => {
    const [s] = stack('retry');
    const child = runNode(worker, [JSON.stringify({ root, action: 'die-populating', layers: [s] })]);
    await child.waitFor('populating');
    child.kill('SIGKILL');
    await child.done;
    // No openStore in between: createLayer itself finds the dead creator's record.
    const r = await store.createLayer(s, async (d) => {
      writeFileSync(join(d, 'fresh'), 'x');
      return { size: 1 };
    });
    expect(r.reused).toBe(false);
    expect(readdirSync(store.layerDiffDir(s.id))).toEqual(['fresh']);
  });

  it('removes temp files of a killed blob writer, not those of a live one', async () => {
    const live = store.createBlobWriter(sha256Digest('live'));
    live.write('li');
    const job = { root, action: 'die-writing-blob', image: { configDigest: sha256Digest('dead') } };
    const child = runNode(worker, [JSON.stringify(job)]);
    await child.waitFor('writing');
    expect(readdirSync(join(root, 'tmp')).length).toBe(2);
    child.kill('SIGKILL');
    await child.done;
    await openStore(root);
    expect(readdirSync(join(root, 'tmp'))).toEqual([live.tmpPath.split('/').pop()]);
    live.end('ve');
    await live.commit();
    expect(await store.hasBlob(sha256Digest('live'))).toBe(true);
  });

  it('concurrent creators all succeed and share layers, each populated once', async () => {
    const log = join(root, 'populate.log');
    const jobs = [];
    for (let i = 0; i < 6; i++) {
      const layers = stack('common-base', i % 2 === 0 ? 'even' : 'odd', `own-${i}`);
      const id = hex(`image ${i}`);
      jobs.push({
        root,
        action: 'image',
        layers,
        populateLog: log,
        delayMs: 150,
        image: {
          id,
          name: `r/img:${i}`,
          configDigest: `sha256:${hex(`config of ${id}`)}`,
          manifestDigest: `sha256:${hex(`manifest of ${id}`)}`,
        },
      });
    }
    const children = jobs.map((j) => runNode(worker, [JSON.stringify(j)]));
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });

    const populated = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    // common-base, even, odd, and 6 own layers: each extracted exactly once.
    expect(populated.length).toBe(9);
    expect(new Set(populated).size).toBe(9);
    const reusedBase = results.filter((r) => JSON.parse(r.stdout).reused[0]).length;
    expect(reusedBase).toBe(5);

    const fresh = await openStore(root);
    const images = await fresh.listImages();
    expect(images.map((i) => i.names[0]).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `r/img:${i}`));
    const layers = await fresh.listLayers();
    expect(layers.length).toBe(9);
    expect(layers.every((l) => !l.incomplete)).toBe(true);
    expect(readdirSync(join(root, 'l')).length).toBe(9);
  });
});
