import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineContext } from '../../../src/engine/context.js';
import { inspectMounts, resolveInRoot, volumeNameOf } from '../../../src/engine/containers/mounts.js';
import {
  createVolume,
  inspectVolume,
  listVolumes,
  localDriverDevice,
  pruneVolumes,
  removeVolumes,
  volumeExists,
} from '../../../src/engine/volumes.js';
import { openContainerStore } from '../../../src/storage/containers.js';
import { openVolumeStore } from '../../../src/storage/volumes.js';

let dir: string;
let ctx: EngineContext;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-volumes-'));
  ctx = {
    identity: { uid: 1000, gid: 1000, rootless: true },
    paths: {
      root: join(dir, 'root'),
      runRoot: join(dir, 'run'),
      configDir: join(dir, 'cfg'),
      runRootFallback: false,
    },
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A container record that uses volumes, as create writes it. */
async function addContainer(named: string[], anonymous: string[] = []): Promise<string> {
  const cs = await openContainerStore(ctx.paths.root, ctx.paths.runRoot);
  const id = cs.newId();
  const rec = await cs.create({
    id,
    name: `c${id.slice(0, 8)}`,
    imageRef: 'x',
    imageId: 'x',
    layers: [],
    driver: 'vfs',
    created: new Date().toISOString(),
    config: { namedVolumes: named, anonymousVolumes: anonymous },
    state: { status: 'exited', pid: 0, exitCode: 0, oomKilled: false, restartCount: 0 },
  });
  delete rec.incomplete;
  await cs.write(rec);
  return id;
}

describe('volume store', () => {
  it('creates the record and data dir; create of an existing name returns it', async () => {
    const v = await createVolume(ctx, { name: 'data', labels: { a: 'b' } });
    expect(v).toMatchObject({ name: 'data', driver: 'local', labels: { a: 'b' }, anonymous: false });
    expect(v.incomplete).toBeUndefined();
    const p = join(ctx.paths.root, 'volumes', 'data');
    expect(JSON.parse(readFileSync(join(p, 'volume.json'), 'utf8')).name).toBe('data');
    expect(existsSync(join(p, '_data'))).toBe(true);
    writeFileSync(join(p, '_data', 'keep'), 'x');
    const again = await createVolume(ctx, { name: 'data' });
    expect(again.createdAt).toBe(v.createdAt);
    expect(existsSync(join(p, '_data', 'keep'))).toBe(true);
    expect(await volumeExists(ctx, 'data')).toBe(true);
    expect(await volumeExists(ctx, 'nope')).toBe(false);
    expect(await volumeExists(ctx, '../etc')).toBe(false);
  });

  it('anonymous volumes get 64-hex names and the anonymous label', async () => {
    const v = await createVolume(ctx, {});
    expect(v.name).toMatch(/^[0-9a-f]{64}$/);
    expect(v.labels).toEqual({ 'com.docker.volume.anonymous': '' });
    expect(v.anonymous).toBe(true);
  });

  it('a volume a killed creator left is swept, never listed; one being made by a live process is hidden', async () => {
    const store = await openVolumeStore(ctx.paths.root);
    const dead = join(store.dir, 'dead');
    mkdirSync(join(dead, '_data'), { recursive: true });
    writeFileSync(
      join(dead, 'volume.json'),
      JSON.stringify({
        name: 'dead',
        driver: 'local',
        createdAt: '',
        labels: {},
        options: {},
        anonymous: false,
        incomplete: true,
        creator: { pid: 1, bootId: 'another-boot', start: '1' },
      }),
    );
    mkdirSync(join(store.dir, 'norecord', '_data'), { recursive: true });
    const lock = await store.lock('busy');
    const busy = await store.createLocked('busy', { labels: {}, options: {}, anonymous: false });
    expect(busy.incomplete).toBe(true);
    await createVolume(ctx, { name: 'ok' });
    expect((await listVolumes(ctx)).map((v) => v.record.name)).toEqual(['ok']);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(join(store.dir, 'norecord'))).toBe(false);
    expect(existsSync(join(store.dir, 'busy'))).toBe(true);
    expect(await volumeExists(ctx, 'busy')).toBe(false);
    lock.release();
    // An abandoned volume's name can be created again.
    mkdirSync(join(store.dir, 'again', '_data'), { recursive: true });
    await createVolume(ctx, { name: 'again' });
    expect(await volumeExists(ctx, 'again')).toBe(true);
  });

  it('bind volumes link to their device; only the link goes on removal', async () => {
    const dev = join(dir, 'device');
    mkdirSync(dev);
    writeFileSync(join(dev, 'f'), 'mine');
    await createVolume(ctx, { name: 'bv', options: { type: 'none', o: 'bind', device: dev } });
    expect(readFileSync(join(ctx.paths.root, 'volumes', 'bv', '_data', 'f'), 'utf8')).toBe('mine');
    expect(await removeVolumes(ctx, ['bv'])).toEqual([{ name: 'bv' }]);
    expect(readFileSync(join(dev, 'f'), 'utf8')).toBe('mine');
  });

  it('local driver options: bind form only, unknown keys refused', () => {
    expect(localDriverDevice({})).toBeUndefined();
    expect(localDriverDevice({ type: 'none', o: 'bind', device: '/x' })).toBe('/x');
    expect(() => localDriverDevice({ type: 'tmpfs', device: 'tmpfs' })).toThrow(/not supported/);
    expect(() => localDriverDevice({ size: '1' })).toThrow(/invalid option key/);
    expect(() => localDriverDevice({ type: 'none', o: 'bind', device: 'rel' })).toThrow(/absolute/);
  });

  it('driver other than local and bad names are refused before anything is made', async () => {
    await expect(createVolume(ctx, { name: 'v1', driver: 'nfs' })).rejects.toThrow(/not supported/);
    await expect(createVolume(ctx, { name: 'a/b' })).rejects.toThrow(/invalid characters/);
    await expect(createVolume(ctx, { name: 'v2', options: { type: 'nfs' } })).rejects.toThrow(
      /not supported/,
    );
    expect((await listVolumes(ctx)).length).toBe(0);
    expect(existsSync(join(ctx.paths.root, 'volumes', 'v2'))).toBe(false);
  });
});

describe('use, removal, filters, prune', () => {
  it('a volume a container names cannot be removed, even with force', async () => {
    await createVolume(ctx, { name: 'used' });
    await createVolume(ctx, { name: 'free' });
    const id = await addContainer(['used']);
    const [r1, r2, r3] = await removeVolumes(ctx, ['used', 'free', 'missing'], { force: true });
    expect(r1.error?.message).toBe(`volume used is in use - [${id.slice(0, 12)}]`);
    expect(r1.error?.exitCode).toBe(125);
    expect(r2).toEqual({ name: 'free' });
    expect(r3).toBeUndefined(); // -f: a missing volume is no error
    const [m] = await removeVolumes(ctx, ['missing']);
    expect(m.error?.code).toBe('not-found');
    expect(await volumeExists(ctx, 'used')).toBe(true);
  });

  it('ls filters: name (regexp), label, dangling, driver; bad filters refused', async () => {
    await createVolume(ctx, { name: 'web-data', labels: { app: 'web', tier: 'front' } });
    await createVolume(ctx, { name: 'db-data', labels: { app: 'db' } });
    await createVolume(ctx, { name: 'cache' });
    await addContainer(['db-data']);
    const names = async (filters: string[]) =>
      (await listVolumes(ctx, { filters })).map((v) => v.record.name);
    expect(await names([])).toEqual(['cache', 'db-data', 'web-data']);
    expect(await names(['name=data$'])).toEqual(['db-data', 'web-data']);
    expect(await names(['label=app'])).toEqual(['db-data', 'web-data']);
    expect(await names(['label=app=web'])).toEqual(['web-data']);
    expect(await names(['label=app=web', 'label=app=db'])).toEqual(['db-data', 'web-data']);
    expect(await names(['label=app', 'name=^web'])).toEqual(['web-data']);
    expect(await names(['dangling=true'])).toEqual(['cache', 'web-data']);
    expect(await names(['dangling=false'])).toEqual(['db-data']);
    expect(await names(['driver=local'])).toHaveLength(3);
    await expect(listVolumes(ctx, { filters: ['colour=red'] })).rejects.toThrow(/invalid filter "colour"/);
    await expect(listVolumes(ctx, { filters: ['dangling=maybe'] })).rejects.toThrow(/want true or false/);
    await expect(listVolumes(ctx, { filters: ['name'] })).rejects.toThrow(/want key=value/);
  });

  it('inspect has Docker fields', async () => {
    await createVolume(ctx, { name: 'insp' });
    const j = await inspectVolume(ctx, 'insp');
    expect(Object.keys(j).sort()).toEqual([
      'CreatedAt',
      'Driver',
      'Labels',
      'Mountpoint',
      'Name',
      'Options',
      'Scope',
    ]);
    expect(j).toMatchObject({
      Name: 'insp',
      Labels: null,
      Options: null,
      Mountpoint: join(ctx.paths.root, 'volumes', 'insp', '_data'),
    });
    await expect(inspectVolume(ctx, 'nope')).rejects.toThrow('no such volume: nope');
  });

  it('prune: unused anonymous volumes, all unused with all, label filters', async () => {
    const anonFree = (await createVolume(ctx, {})).name;
    const anonUsed = (await createVolume(ctx, {})).name;
    await createVolume(ctx, { name: 'named1' });
    await createVolume(ctx, { name: 'named2', labels: { keep: '' } });
    await addContainer([], [anonUsed]);
    writeFileSync(join(ctx.paths.root, 'volumes', anonFree, '_data', 'f'), 'x'.repeat(1000));
    const r = await pruneVolumes(ctx, {});
    expect(r.deleted).toEqual([anonFree]);
    expect(r.reclaimed).toBeGreaterThanOrEqual(1000);
    const r2 = await pruneVolumes(ctx, { all: true, filters: ['label!=keep'] });
    expect(r2.deleted).toEqual(['named1']);
    const r3 = await pruneVolumes(ctx, { filters: ['all=true', 'label=keep'] });
    expect(r3.deleted).toEqual(['named2']);
    expect((await listVolumes(ctx)).map((v) => v.record.name)).toEqual([anonUsed]);
  });
});

describe('mount helpers', () => {
  it('resolveInRoot keeps symlinks inside the root', async () => {
    const root = join(dir, 'rootfs');
    mkdirSync(join(root, 'real', 'sub'), { recursive: true });
    symlinkSync('/real', join(root, 'abs'));
    symlinkSync('../../../../real', join(root, 'up'));
    symlinkSync('/', join(root, 'toroot'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
    expect(await resolveInRoot(root, '/abs/sub')).toBe(join(root, 'real', 'sub'));
    expect(await resolveInRoot(root, '/up/sub')).toBe(join(root, 'real', 'sub'));
    expect(await resolveInRoot(root, '/toroot/real/../../..')).toBe(root);
    expect(await resolveInRoot(root, '/missing/x')).toBeUndefined();
    expect(await resolveInRoot(root, '/loop1')).toBeUndefined();
  });

  it('volumeNameOf and inspectMounts', () => {
    const vd = '/s/volumes';
    expect(volumeNameOf('/s/volumes/abc/_data', vd)).toBe('abc');
    expect(volumeNameOf('/s/volumes/abc/_data/x', vd)).toBeUndefined();
    expect(volumeNameOf('/home/u/abc/_data', vd)).toBeUndefined();
    const out = inspectMounts(
      [
        {
          type: 'volume',
          source: '/s/volumes/v1/_data',
          destination: '/v',
          options: ['rbind', 'ro', 'rprivate'],
        },
        { type: 'bind', source: '/h', destination: '/b', options: ['rbind', 'rshared'] },
        { type: 'tmpfs', source: 'tmpfs', destination: '/t', options: ['size=1'] },
        { type: 'bind', source: '/s/c/userdata/hosts', destination: '/etc/hosts', options: ['rbind'] },
      ],
      { userdata: '/s/c/userdata', volumesDir: vd },
    );
    expect(out).toEqual([
      {
        Type: 'volume',
        Name: 'v1',
        Source: '/s/volumes/v1/_data',
        Destination: '/v',
        Driver: 'local',
        Mode: '',
        RW: false,
        Propagation: '',
      },
      { Type: 'bind', Source: '/h', Destination: '/b', Mode: '', RW: true, Propagation: 'rshared' },
      { Type: 'tmpfs', Source: '', Destination: '/t', Mode: '', RW: true, Propagation: '' },
    ]);
  });
});
