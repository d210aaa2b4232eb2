import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { assertNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore, uniqueName } from '../harness/store.js';
import { assertNoContainerState, inspectContainer, removeAll, waitFor } from './containers-helpers.js';

/** Volumes and bind mounts, as the unprivileged user: -v, --mount, --volumes-from, `volume` verbs. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const owners = ctx.images.owners.ref;
let store: TestStore;
/** A host directory the test user owns, for bind sources. */
let hostDir: string;

beforeAll(async () => {
  store = newTestStore('volumes');
  hostDir = join(store.dir, 'host');
  await berth(['pull', '-q', busybox], { store });
  await berth(['pull', '-q', owners], { store });
  userDir(hostDir);
});

/** A directory the test user owns, as a user owns their own directories. */
function userDir(path: string): string {
  mkdirSync(path);
  if (ctx.isRoot) chownSync(path, ctx.user.uid, ctx.user.gid);
  return path;
}
afterAll(async () => {
  await removeAll(store);
  assertNoContainerState(store);
  assertNoLeaks(store);
  await store.cleanup();
});

function run(args: string[], opts: { expectExit?: number } = {}) {
  return berth(['run', '--rm', ...args], { store, ...opts });
}

function volumeNames(): string[] {
  const dir = join(store.root, 'volumes');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => !n.startsWith('.'))
        .sort()
    : [];
}

async function lsNames(args: string[] = []): Promise<string[]> {
  const r = await berth(['volume', 'ls', '-q', ...args], { store });
  return r.stdout.split('\n').filter((l) => l);
}

describe('bind mounts', () => {
  it('files container root writes into a bind mount belong to the invoking user on the host', async () => {
    const dir = join(hostDir, uniqueName('own'));
    await run(['-v', `${dir}:/data`, busybox, 'sh', '-c', 'echo hi > /data/f && mkdir /data/d && id -u']);
    // Docker creates a missing absolute source as a directory.
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('hi\n');
    for (const p of [dir, join(dir, 'f'), join(dir, 'd')]) {
      expect(statSync(p).uid).toBe(ctx.user.uid);
      expect(statSync(p).gid).toBe(ctx.user.gid);
    }
  });

  it(':ro refuses writes, and the host content is visible', async () => {
    const dir = join(hostDir, uniqueName('ro'));
    await run(['-v', `${dir}:/data`, busybox, 'sh', '-c', 'echo seed > /data/seed']);
    const r = await run(
      ['-v', `${dir}:/data:ro`, busybox, 'sh', '-c', 'cat /data/seed; echo x > /data/new'],
      {
        expectExit: 1,
      },
    );
    expect(r.stdout).toBe('seed\n');
    expect(r.stderr).toMatch(/read-only file system/i);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    const r2 = await run(
      ['--mount', `type=bind,source=${dir},target=/m,readonly`, busybox, 'touch', '/m/x'],
      {
        expectExit: 1,
      },
    );
    expect(r2.stderr).toMatch(/read-only/i);
  });

  it('--mount type=bind refuses a missing source; a relative name is a volume; bad specs fail with 125', async () => {
    const missing = join(hostDir, uniqueName('missing'));
    const r = await run(['--mount', `type=bind,src=${missing},dst=/x`, busybox, 'true'], { expectExit: 125 });
    expect(r.stderr).toMatch(/bind source path does not exist/);
    expect(existsSync(missing)).toBe(false);
    const r2 = await run(['-v', 'rel/path:/x', busybox, 'true'], { expectExit: 125 });
    expect(r2.stderr).toMatch(/invalid characters for a local volume name/);
    const r3 = await run(['-v', '/a:/b:rw,ro', busybox, 'true'], { expectExit: 125 });
    expect(r3.stderr).toMatch(/invalid mode/);
    const r4 = await run(['--mount', 'type=bind,target=/x', busybox, 'true'], { expectExit: 125 });
    expect(r4.stderr).toMatch(/Source must not be empty/);
  });

  it('U gives the source to the container user', async () => {
    const dir = join(hostDir, uniqueName('chown'));
    await run(['-v', `${dir}:/data`, busybox, 'touch', '/data/f']);
    await run(['-u', '1000:1000', '-v', `${dir}:/data:U`, busybox, 'sh', '-c', 'touch /data/g']);
    // Container uid 1000 is a subordinate uid on the host.
    const sub = ctx.user.subUidStart + 1000 - 1;
    expect(statSync(join(dir, 'g')).uid).toBe(sub);
    expect(statSync(join(dir, 'f')).uid).toBe(sub);
  });
});

describe('named and anonymous volumes', () => {
  it('a named volume is created on first use; its data survives the container and the next one sees it', async () => {
    const vol = uniqueName('keep');
    await run(['-v', `${vol}:/data`, busybox, 'sh', '-c', 'echo persisted > /data/file']);
    expect(await lsNames()).toContain(vol);
    const r = await run(['-v', `${vol}:/other`, busybox, 'cat', '/other/file']);
    expect(r.stdout).toBe('persisted\n');
    // On the host the data is the invoking user's.
    const data = join(store.root, 'volumes', vol, '_data', 'file');
    expect(statSync(data).uid).toBe(ctx.user.uid);
    await berth(['volume', 'rm', vol], { store });
    expect(volumeNames()).not.toContain(vol);
  });

  it('a new volume over an image path with content starts with that content, owners and modes kept', async () => {
    const vol = uniqueName('copy');
    const r = await run([
      '-v',
      `${vol}:/data/www`,
      owners,
      'sh',
      '-c',
      'stat -c "%u:%g %a" /data/www /data/www/index.html; cat /data/www/index.html',
    ]);
    expect(r.stdout).toBe('33:33 755\n33:33 644\n<h1>owners</h1>\n');
    // Not again once the volume has content: a second container sees the first one's changes.
    await run(['-v', `${vol}:/data/www`, owners, 'sh', '-c', 'echo changed > /data/www/index.html']);
    const r2 = await run(['-v', `${vol}:/data/www`, owners, 'cat', '/data/www/index.html']);
    expect(r2.stdout).toBe('changed\n');
    // nocopy: an empty volume stays empty.
    const empty = uniqueName('nocopy');
    const r3 = await run([
      '--mount',
      `type=volume,src=${empty},dst=/opt/data,volume-nocopy`,
      busybox,
      'ls',
      '-A',
      '/opt/data',
    ]);
    expect(r3.stdout).toBe('');
    const anon = await run(['-v', '/opt/data', busybox, 'ls', '/opt/data']);
    expect(anon.stdout).toBe('old-1.txt\nold-2.txt\n');
    await berth(['volume', 'rm', vol, empty], { store });
  });

  it('volume rm refuses a volume a container uses, in any state; rm -v removes anonymous volumes only', async () => {
    const vol = uniqueName('used');
    const name = uniqueName('holder');
    const before = volumeNames();
    await berth(['create', '--name', name, '-v', `${vol}:/named`, '-v', '/anon', busybox, 'true'], { store });
    const info = await inspectContainer(store, name);
    const mounts = info.Mounts as { Type: string; Name?: string; Destination: string; RW: boolean }[];
    expect(mounts.map((m) => [m.Type, m.Destination]).sort()).toEqual([
      ['volume', '/anon'],
      ['volume', '/named'],
    ]);
    const anon = mounts.find((m) => m.Destination === '/anon')?.Name as string;
    expect(anon).toMatch(/^[0-9a-f]{64}$/);
    const r = await berth(['volume', 'rm', vol], { store, expectExit: 125 });
    expect(r.stderr).toMatch(/^Error: volume .* is in use/m);
    await berth(['volume', 'rm', '-f', vol], { store, expectExit: 125 });
    await berth(['volume', 'rm', anon], { store, expectExit: 125 });
    await berth(['rm', '-v', name], { store });
    expect(volumeNames()).toEqual([...before, vol].sort());
    await berth(['volume', 'rm', vol], { store });
    expect(volumeNames()).toEqual(before);
  });

  it('run --rm takes its anonymous volumes along and keeps named ones', async () => {
    const before = volumeNames();
    const vol = uniqueName('rmkeep');
    await run(['-v', '/anon', '-v', `${vol}:/named`, busybox, 'touch', '/anon/f', '/named/f']);
    expect(volumeNames()).toEqual([...before, vol].sort());
    const d = await berth(['run', '-d', '--rm', '-v', '/anon2', busybox, 'true'], { store });
    const id = d.stdout.trim();
    await waitFor(
      'the --rm container to go',
      async () => !(await berth(['ps', '-aq', '--no-trunc'], { store })).stdout.includes(id),
    );
    expect(volumeNames()).toEqual([...before, vol].sort());
    await berth(['volume', 'rm', vol], { store });
  });

  it("--volumes-from shares the other container's volumes and binds, in their mode or the one given", async () => {
    const dir = join(hostDir, uniqueName('vf'));
    userDir(dir);
    writeFileSync(join(dir, 'host.txt'), 'from host\n');
    const src = uniqueName('vfsrc');
    await berth(['create', '--name', src, '-v', '/shared', '-v', `${dir}:/bound:ro`, busybox, 'true'], {
      store,
    });
    const anon = (
      (await inspectContainer(store, src)).Mounts as { Name?: string; Destination: string }[]
    ).find((m) => m.Destination === '/shared')?.Name as string;
    await run(['--volumes-from', src, busybox, 'sh', '-c', 'echo shared > /shared/x; cat /bound/host.txt']);
    const r = await run(
      ['--volumes-from', `${src}:ro`, busybox, 'sh', '-c', 'cat /shared/x; touch /shared/y'],
      {
        expectExit: 1,
      },
    );
    expect(r.stdout).toBe('shared\n');
    await run(['--volumes-from', src, busybox, 'touch', '/bound/z'], { expectExit: 1 });
    const none = await run(['--volumes-from', uniqueName('nosuch'), busybox, 'true'], { expectExit: 125 });
    expect(none.stderr).toMatch(/no such container/);
    // The source's anonymous volume stays in use while a user of it exists.
    const user = uniqueName('vfuser');
    await berth(['create', '--name', user, '--volumes-from', src, busybox, 'true'], { store });
    await berth(['rm', '-v', src], { store });
    expect(volumeNames()).toContain(anon);
    await berth(['rm', '-v', user], { store });
    expect(volumeNames()).toContain(anon);
    await berth(['volume', 'rm', anon], { store });
  });

  it('a failed create leaves no volume behind; tmpfs mounts work', async () => {
    const before = volumeNames();
    const vol = uniqueName('fail');
    await berth(
      ['create', '-v', `${vol}:/a`, '-v', '/b', '--mount', 'type=bind,src=/nonexistent-xyz,dst=/c', busybox],
      {
        store,
        expectExit: 125,
      },
    );
    expect(volumeNames()).toEqual(before);
    const r = await run([
      '--mount',
      'type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770',
      busybox,
      'stat',
      '-c',
      '%a',
      '/t',
    ]);
    expect(r.stdout).toBe('1770\n');
  });
});

describe('volume verbs', () => {
  it('create, ls with --filter and --format, inspect, exists', async () => {
    const a = uniqueName('va');
    const b = uniqueName('vb');
    expect((await berth(['volume', 'create', '--label', 'team=x', a], { store })).stdout).toBe(`${a}\n`);
    await berth(['volume', 'create', b], { store });
    // Creating an existing name again is fine (Docker).
    await berth(['volume', 'create', b], { store });
    expect(await lsNames(['--filter', 'label=team=x'])).toEqual([a]);
    expect(await lsNames(['--filter', 'label=team'])).toEqual([a]);
    expect(await lsNames(['--filter', `name=${b}`])).toEqual([b]);
    const holder = uniqueName('ls');
    await berth(['create', '--name', holder, '-v', `${a}:/a`, busybox], { store });
    expect(await lsNames(['--filter', 'dangling=false'])).toEqual([a]);
    expect(await lsNames(['--filter', 'dangling=true'])).toContain(b);
    expect(await lsNames(['--filter', 'dangling=true'])).not.toContain(a);
    await berth(['rm', holder], { store });
    const table = (await berth(['volume', 'ls'], { store })).stdout.split('\n');
    expect(table[0]).toMatch(/^DRIVER\s+VOLUME NAME$/);
    expect(table).toContainEqual(expect.stringMatching(new RegExp(`^local\\s+${a}$`)));
    const f = await berth(
      ['volume', 'ls', '--filter', `name=${a}`, '--format', '{{.Name}} {{.Driver}} {{.Labels}}'],
      {
        store,
      },
    );
    expect(f.stdout).toBe(`${a} local team=x\n`);
    const ins = JSON.parse((await berth(['volume', 'inspect', a], { store })).stdout);
    expect(ins).toHaveLength(1);
    expect(ins[0]).toMatchObject({
      Name: a,
      Driver: 'local',
      Scope: 'local',
      Labels: { team: 'x' },
      Mountpoint: join(store.root, 'volumes', a, '_data'),
    });
    expect(ins[0].CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const fm = await berth(['volume', 'inspect', '--format', '{{.Name}}:{{.Mountpoint}}', a, b], { store });
    expect(fm.stdout).toBe(
      `${a}:${join(store.root, 'volumes', a, '_data')}\n${b}:${join(store.root, 'volumes', b, '_data')}\n`,
    );
    const missing = await berth(['volume', 'inspect', a, 'nosuchvol'], { store, expectExit: 125 });
    expect(missing.stderr).toMatch(/no such volume: nosuchvol/);
    await berth(['volume', 'exists', a], { store });
    await berth(['volume', 'exists', 'nosuchvol'], { store, expectExit: 1 });
    const rm = await berth(['volume', 'rm', a, b, 'nosuchvol'], { store, expectExit: 1 });
    expect(rm.stdout).toBe(`${a}\n${b}\n`);
    await berth(['volume', 'rm', '-f', 'nosuchvol'], { store });
    await berth(['volume', 'create', '-d', 'nfs', uniqueName('drv')], { store, expectExit: 125 });
  });

  it('a bind volume (--opt type=none,o=bind,device=) keeps its data in the device and survives volume rm', async () => {
    const dir = userDir(join(hostDir, uniqueName('dev')));
    const v = uniqueName('bindvol');
    await berth(['volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${dir}`, v], { store });
    await run(['-v', `${v}:/d`, busybox, 'sh', '-c', 'echo in-device > /d/f']);
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('in-device\n');
    await berth(['volume', 'rm', v], { store });
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('in-device\n');
    expect(lstatSync(dir).isDirectory()).toBe(true);
  });

  it('prune removes unused anonymous volumes, and with -a named ones; --filter label narrows it', async () => {
    const named = uniqueName('pn');
    const kept = uniqueName('pk');
    await berth(['volume', 'create', named], { store });
    await berth(['volume', 'create', '--label', 'keep=1', kept], { store });
    const anon = (await berth(['volume', 'create'], { store })).stdout.trim();
    const holder = uniqueName('ph');
    const usedAnon = uniqueName('pu');
    await berth(['create', '--name', holder, '-v', '/in-use', '-v', `${usedAnon}:/u`, busybox], { store });
    const r = await berth(['volume', 'prune', '-f'], { store });
    expect(r.stdout).toContain(`Deleted Volumes:\n${anon}\n`);
    expect(r.stdout).toMatch(/Total reclaimed space: /);
    expect(await lsNames()).toEqual(expect.arrayContaining([named, kept, usedAnon]));
    // Without -f and without a yes on stdin, nothing happens.
    await berth(['volume', 'prune', '-a'], { store, input: 'n\n' });
    expect(await lsNames()).toContain(named);
    await berth(['volume', 'prune', '-a', '-f', '--filter', 'label!=keep=1'], { store });
    const left = await lsNames();
    expect(left).not.toContain(named);
    expect(left).toContain(kept);
    expect(left).toContain(usedAnon);
    await berth(['rm', '-v', holder], { store });
    await berth(['volume', 'prune', '-a', '-f'], { store });
    expect(await lsNames()).toEqual([]);
  });
});
