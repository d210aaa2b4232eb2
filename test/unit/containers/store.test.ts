import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ContainerStore, openContainerStore, validateName } from '../../../src/storage/containers.js';

let dir: string;
let store: ContainerStore;
const state = { status: 'created' as const, pid: 0, exitCode: 0, oomKilled: false, restartCount: 0 };
const base = (id: string, name: string) => ({
  id,
  name,
  imageRef: 'busybox',
  imageId: 'a'.repeat(64),
  layers: [],
  driver: 'overlay' as const,
  created: new Date().toISOString(),
  config: {},
  state,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-ctr-'));
  store = await openContainerStore(join(dir, 'root'), join(dir, 'run'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('container store', () => {
  it('reserves names exclusively, even under concurrent creates', async () => {
    const ids = Array.from({ length: 8 }, () => store.newId());
    const results = await Promise.allSettled(ids.map((id) => store.create(base(id, 'web'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason.message).toMatch(/already in use/);
    expect(failed.reason.hint).toMatch(/--replace/);
    expect(await store.list({ includeIncomplete: true })).toHaveLength(1);
  });

  it('finds by name, full id and unique prefix; refuses ambiguous prefixes', async () => {
    const a = await store.create(base(`ab${'0'.repeat(62)}`, 'one'));
    await store.create(base(`ac${'0'.repeat(62)}`, 'two'));
    expect((await store.find('one'))?.id).toBe(a.id);
    expect((await store.find(a.id))?.name).toBe('one');
    expect((await store.find('ab'))?.name).toBe('one');
    await expect(store.find('a')).rejects.toThrow(/ambiguous/);
    expect(await store.find('nope')).toBeUndefined();
  });

  it('marks new records incomplete, owned by a live process', async () => {
    const r = await store.create(base(store.newId(), 'x'));
    expect(r.incomplete).toBe(true);
    expect(store.isAbandoned(r)).toBe(false);
    expect(store.isAbandoned({ ...r, creator: { pid: 999999, bootId: 'other', start: '1' } })).toBe(true);
  });

  it('renames and frees names on removal', async () => {
    const r = await store.create(base(store.newId(), 'old'));
    await store.rename(r.id, 'old', 'new');
    expect((await store.find('new'))?.id).toBe(r.id);
    expect(await store.nameHolder('old')).toBeUndefined();
    await store.removeFiles(r.id, 'new');
    expect(existsSync(store.paths(r.id).dir)).toBe(false);
    expect(await store.nameHolder('new')).toBeUndefined();
    await store.create(base(store.newId(), 'new'));
  });

  it('sweeps a directory a killed create or remove left without a record, unless it is locked', async () => {
    const orphan = store.newId();
    mkdirSync(store.paths(orphan).userdata, { recursive: true });
    const busy = store.newId();
    mkdirSync(store.paths(busy).userdata, { recursive: true });
    const lock = await store.lock(busy);
    const kept = await store.create(base(store.newId(), 'kept'));
    expect((await store.list({ includeIncomplete: true })).map((r) => r.id)).toEqual([kept.id]);
    expect(existsSync(store.paths(orphan).dir)).toBe(false);
    expect(existsSync(store.paths(busy).dir)).toBe(true);
    lock.release();
    await store.list();
    expect(existsSync(store.paths(busy).dir)).toBe(false);
    expect(existsSync(store.paths(kept.id).dir)).toBe(true);
  });

  it('validates names as Docker does', () => {
    expect(() => validateName('ok_name-1.x')).not.toThrow();
    for (const bad of ['', '-x', 'a b', 'a/b', 'ü'])
      expect(() => validateName(bad)).toThrow(/invalid container name/);
  });
});
