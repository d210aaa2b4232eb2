import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness, type TestImageInfo } from '../harness/context.js';
import { assertNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore, uniqueName } from '../harness/store.js';
import { assertStoreConsistent, pushSmallImage, storeState } from './image-helpers.js';

const ctx = harness();
const imgs = ctx.images;
let store: TestStore;

beforeAll(() => {
  store = newTestStore('images');
});
afterAll(async () => {
  assertNoLeaks(store);
  await store.cleanup();
});

const idOf = (img: TestImageInfo) => img.configDigest.slice('sha256:'.length);
/** `127.0.0.1:PORT/berth-test/busybox`: the repository column for a harness image. */
const repoOf = (img: TestImageInfo) => `${ctx.registry}/${img.repository}`;

async function pullQ(ref: string, extra: string[] = [], s: TestStore = store): Promise<string> {
  const r = await berth(['pull', '-q', ...extra, ref], { store: s });
  return r.stdout.trim();
}

/** The fields of `image inspect` these tests read. */
interface InspectJson {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: string;
  Os: string;
  Architecture: string;
  Variant?: string;
  Size: number;
  Config: { Cmd: string[]; Env: string[]; Labels: Record<string, string> };
  RootFS: { Type: string; Layers: string[] };
  GraphDriver: { Data: { LowerDir: string } };
}

async function inspect(ref: string, s: TestStore = store): Promise<InspectJson> {
  const r = await berth(['image', 'inspect', ref], { store: s });
  const arr = JSON.parse(r.stdout);
  expect(arr).toHaveLength(1);
  return arr[0];
}

/** Table rows of `images`, split on runs of 2+ spaces, without the header. */
function tableRows(out: string): string[][] {
  return out
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('pull', () => {
  it('pulls every manifest and layer format and prints the image id with -q', async () => {
    for (const img of [imgs.busybox, imgs.busyboxOci, imgs.busyboxZstd, imgs.busyboxPlain]) {
      const id = await pullQ(img.ref);
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(id).toBe(idOf(img));
      const info = await inspect(img.ref);
      expect(info.Id).toBe(`sha256:${idOf(img)}`);
      expect(info.RepoTags).toContain(`${repoOf(img)}:${img.tag}`);
      expect(info.RepoDigests).toContain(`${repoOf(img)}@${img.digest}`);
      expect(info.RootFS).toEqual({ Type: 'layers', Layers: img.layers.map((l) => l.diffId) });
      expect(info.Os).toBe('linux');
      expect(info.Architecture).toBe('amd64');
      expect(info.Created).toBe('2024-01-01T00:00:00Z');
      expect(info.Config.Cmd).toEqual(['sh']);
      expect(info.Config.Labels).toEqual({ 'org.berth.test': 'busybox' });
      expect(info.Config.Env[0]).toMatch(/^PATH=/);
      // Size counts the extracted files: busybox alone is bigger than the compressed layer.
      const busyboxSize = statSync('/bin/busybox').size;
      expect(info.Size).toBeGreaterThanOrEqual(busyboxSize);
      expect(info.Size).toBeLessThan(busyboxSize + 64 * 1024);
    }
    // One config and one tar in four encodings: one image with four names, one extracted layer.
    const all = [imgs.busybox, imgs.busyboxOci, imgs.busyboxZstd, imgs.busyboxPlain];
    const info = await inspect(imgs.busybox.ref);
    expect(info.RepoTags.sort()).toEqual(all.map((i) => `${repoOf(i)}:${i.tag}`).sort());
    expect(info.RepoDigests.sort()).toEqual(all.map((i) => `${repoOf(i)}@${i.digest}`).sort());
    const s = storeState(store);
    expect(s.images).toHaveLength(1);
    expect(s.layers).toHaveLength(1);
    expect(s.layers[0].diffId).toBe(imgs.busybox.layers[0].diffId);
    assertStoreConsistent(store);
  });

  it('prints progress lines without -q and says when a layer exists', async () => {
    const r = await berth(['image', 'pull', imgs.busyboxLayered.ref], { store });
    expect(r.stdout.trim()).toBe(idOf(imgs.busyboxLayered));
    expect(r.stderr).toContain(`Trying to pull ${imgs.busyboxLayered.ref}...`);
    const short = (d: string) => d.slice(7, 19);
    expect(r.stderr).toContain(
      `Copying blob ${short(imgs.busyboxLayered.layers[0].digest)} skipped: already exists`,
    );
    expect(r.stderr).toContain(`Copying blob ${short(imgs.busyboxLayered.layers[1].digest)} done`);
    expect(r.stderr).toContain(`Copying config ${short(imgs.busyboxLayered.configDigest)} done`);
    expect(r.stderr).toContain('Writing manifest to image destination');
  });

  it('pulls an index for the host platform, another with --platform, and by digest', async () => {
    const amd = imgs.multiarch.platforms.find((p) => p.architecture === 'amd64')!;
    const arm = imgs.multiarch.platforms.find((p) => p.architecture === 'arm64')!;
    expect(await pullQ(imgs.multiarch.ref)).toBe(idOf(amd));
    const host = await inspect(imgs.multiarch.ref);
    expect(host.Architecture).toBe('amd64');
    expect(host.RootFS.Layers).toEqual(amd.layers.map((l) => l.diffId));
    const f = await berth(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', imgs.multiarch.ref], {
      store,
    });
    expect(f.stdout).toBe('linux/amd64\n');
    // The index's digest names the image as well as the platform manifest's.
    expect(host.RepoDigests.sort()).toEqual(
      [imgs.multiarch.digest, amd.digest]
        .map((d) => `${ctx.registry}/${imgs.multiarch.repository}@${d}`)
        .sort(),
    );
    const byIndex = await inspect(`${ctx.registry}/${imgs.multiarch.repository}@${imgs.multiarch.digest}`);
    expect(byIndex.Id).toBe(host.Id);
    assertStoreConsistent(store);

    const s2 = newTestStore('images-arm');
    try {
      expect(await pullQ(imgs.multiarch.ref, ['--platform', 'linux/arm64'], s2)).toBe(idOf(arm));
      const info = await inspect(imgs.multiarch.ref, s2);
      expect(info.Architecture).toBe('arm64');
      expect(info.Variant).toBe('v8');
      expect(info.RootFS.Layers).toEqual(arm.layers.map((l) => l.diffId));
      // The /arch file of each platform's top layer says which one we got.
      const archFile = async (s: TestStore, ref: string) => {
        const top = (await inspect(ref, s)).GraphDriver.Data.LowerDir.split(':')[0];
        return (await berth(['unshare', 'cat', join(top, 'arch')], { store: s })).stdout;
      };
      expect(await archFile(s2, imgs.multiarch.ref)).toBe('arm64\n');
      expect(await archFile(store, imgs.multiarch.ref)).toBe('amd64\n');

      // By digest: the platform manifest's digest, no tag recorded.
      expect(await pullQ(arm.ref, [], s2)).toBe(idOf(arm));
      const byDigest = await inspect(arm.ref, s2);
      expect(byDigest.Id).toBe(`sha256:${idOf(arm)}`);
      expect(byDigest.RepoDigests).toContain(`${ctx.registry}/${arm.repository}@${arm.digest}`);
    } finally {
      assertNoLeaks(s2);
      await s2.cleanup();
    }
    // A digest pull of the busybox manifest into a store that has no such image yet.
    const s3 = newTestStore('images-digest');
    try {
      const ref = `${repoOf(imgs.busybox)}@${imgs.busybox.digest}`;
      expect(await pullQ(ref, [], s3)).toBe(idOf(imgs.busybox));
      const info = await inspect(ref, s3);
      expect(info.RepoTags).toEqual([]);
      expect(info.RepoDigests).toEqual([ref]);
      const ls = await berth(['images', '--digests'], { store: s3 });
      expect(tableRows(ls.stdout)[0].slice(0, 3)).toEqual([
        repoOf(imgs.busybox),
        '<none>',
        imgs.busybox.digest,
      ]);
    } finally {
      await s3.cleanup();
    }
  });
});

describe('layers through overlay', () => {
  it('the layered image hides the deleted file and the opaque dir shows only the new file', async () => {
    const lower = (await inspect(imgs.busyboxLayered.ref)).GraphDriver.Data.LowerDir as string;
    expect(lower.split(':')).toHaveLength(2);
    const mnt = join(store.runRoot, uniqueName('mnt'));
    // A private mount namespace inside berth's: the mount goes away with the shell.
    const script = [
      `mkdir -p ${mnt}`,
      `mount -t overlay overlay -o lowerdir=${lower},userxattr ${mnt}`,
      `test -e ${mnt}/etc/motd-to-delete && echo motd-present || echo motd-absent`,
      `ls -A ${mnt}/opt/data`,
      `cat ${mnt}/layer2.txt`,
      `test -x ${mnt}/bin/busybox && echo busybox-ok`,
      `umount ${mnt}`,
      `rmdir ${mnt}`,
    ].join(' && ');
    const r = await berth(['unshare', 'unshare', '-m', 'sh', '-c', script], { store });
    expect(r.stdout.split('\n')).toEqual(['motd-absent', 'new.txt', 'from layer 2', 'busybox-ok', '']);
    // The bottom layer alone still has what the top layer deletes.
    const base = lower.split(':')[1];
    const b = await berth(['unshare', 'ls', '-A', join(base, 'opt/data'), join(base, 'etc')], { store });
    expect(b.stdout).toContain('old-1.txt');
    expect(b.stdout).toContain('motd-to-delete');
  });
});

describe('ownership and file attributes', () => {
  it('maps owners through the subuid range and keeps modes, links and capabilities', async () => {
    await pullQ(imgs.owners.ref);
    const top = (await inspect(imgs.owners.ref)).GraphDriver.Data.LowerDir.split(':')[0] as string;
    const ls = await berth(
      ['unshare', 'ls', '-lnd', `${top}/data/www`, `${top}/data/u1000`, `${top}/data/setuid`],
      {
        store,
      },
    );
    const fields = ls.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/));
    const byPath = fields.map((f) => [f[0], f[2], f[3], f.at(-1)]).sort((x, y) => x[3]!.localeCompare(y[3]!));
    expect(byPath).toEqual([
      ['-rwsr-xr-x', '0', '0', `${top}/data/setuid`],
      ['drwxr-xr-x', '1000', '1000', `${top}/data/u1000`],
      ['drwxr-xr-x', '33', '33', `${top}/data/www`],
    ]);
    const inodes = await berth(
      ['unshare', 'stat', '-c', '%i %h %u', `${top}/data/u1000/file.txt`, `${top}/data/u1000/hardlink.txt`],
      { store },
    );
    const [a, b] = inodes.stdout.trim().split('\n');
    expect(a).toBe(b);
    expect(a.split(' ')[1]).toBe('2');
    const link = await berth(['unshare', 'readlink', `${top}/data/u1000/symlink`], { store });
    expect(link.stdout).toBe('file.txt\n');
    const cap = await berth(['unshare', 'getcap', `${top}/data/cap-file`], { store });
    expect(cap.stdout).toMatch(/cap_net_raw[=+]ep/);

    // From the host: the layer's files belong to subordinate ids.
    if (ctx.isRoot) {
      const layerId = storeState(store).images.find((i) => i.id === idOf(imgs.owners))!.layers[1];
      const diff = join(store.root, 'layers', layerId, 'diff');
      const st = (p: string) => statSync(join(diff, p));
      expect(st('data/www').uid).toBe(ctx.user.subUidStart + 32);
      expect(st('data/www').gid).toBe(ctx.user.subGidStart + 32);
      expect(st('data/u1000').uid).toBe(ctx.user.subUidStart + 999);
      expect(st('data/u1000/file.txt').gid).toBe(ctx.user.subGidStart + 999);
      // Root in the image is the user itself.
      expect(st('data/setuid').uid).toBe(ctx.user.uid);
      expect(st('data/setuid').mode & 0o7777).toBe(0o4755);
      expect(st('data/u1000/file.txt').ino).toBe(st('data/u1000/hardlink.txt').ino);
    }
  });
});

describe('images', () => {
  it('lists with Docker columns, -q, --digests, --no-trunc', async () => {
    const r = await berth(['images'], { store });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    const rows = tableRows(r.stdout);
    const bb = rows.find((x) => x[0] === repoOf(imgs.busybox) && x[1] === 'latest');
    expect(bb).toBeDefined();
    expect(bb![2]).toBe(idOf(imgs.busybox).slice(0, 12));
    expect(bb![3]).toMatch(/ago$/);
    expect(bb![4]).toMatch(/^[\d.]+[kMG]?B$/);
    const tags = rows.filter((x) => x[0] === repoOf(imgs.busybox)).map((x) => x[1]);
    expect(tags.sort()).toEqual(['latest', 'layered', 'oci', 'plain', 'zstd']);

    const q = await berth(['images', '-q'], { store });
    const ids = q.stdout.trim().split('\n');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(idOf(imgs.busybox).slice(0, 12));
    expect(ids).toContain(idOf(imgs.owners).slice(0, 12));

    const d = await berth(['images', '--digests'], { store });
    expect(d.stdout.split('\n')[0]).toMatch(/^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID\s+CREATED\s+SIZE$/);
    const dr = tableRows(d.stdout).find((x) => x[0] === repoOf(imgs.busyboxOci) && x[1] === 'oci');
    // One image with four manifests in one repository: the column shows one of them.
    const sameImage = [imgs.busybox, imgs.busyboxOci, imgs.busyboxZstd, imgs.busyboxPlain].map(
      (i) => i.digest,
    );
    expect(sameImage).toContain(dr![2]);
    const ow = tableRows(d.stdout).find((x) => x[0] === repoOf(imgs.owners));
    expect(ow![2]).toBe(imgs.owners.digest);

    const nt = await berth(['image', 'ls', '--no-trunc'], { store });
    const ntr = tableRows(nt.stdout).find((x) => x[0] === repoOf(imgs.owners));
    expect(ntr![2]).toBe(`sha256:${idOf(imgs.owners)}`);
    const ntq = await berth(['images', '-q', '--no-trunc'], { store });
    expect(ntq.stdout.split('\n')).toContain(`sha256:${idOf(imgs.owners)}`);
  });

  it('formats with Go templates, json and table', async () => {
    const f = await berth(['images', '--format', '{{.Repository}}:{{.Tag}}'], { store });
    const names = f.stdout.trim().split('\n');
    expect(names).toContain(`${repoOf(imgs.busybox)}:latest`);
    expect(names).toContain(`${repoOf(imgs.owners)}:latest`);
    expect(names.every((n) => !n.includes('REPOSITORY'))).toBe(true);

    const j = await berth(['images', '--format', '{{json .}}', `${repoOf(imgs.owners)}`], { store });
    const lines = j.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0]);
    expect(obj.Repository).toBe(repoOf(imgs.owners));
    expect(obj.Tag).toBe('latest');
    expect(obj.ID).toBe(idOf(imgs.owners).slice(0, 12));
    expect(obj.Digest).toBe(imgs.owners.digest);
    expect(obj.Size).toMatch(/B$/);

    const t = await berth(['images', '--format', 'table {{.ID}}\t{{.Tag}}', repoOf(imgs.owners)], { store });
    const tl = t.stdout.trimEnd().split('\n');
    expect(tl[0]).toMatch(/^IMAGE ID\s+TAG$/);
    expect(tl.slice(1).map((l) => l.split(/\s+/))).toEqual([[idOf(imgs.owners).slice(0, 12), 'latest']]);
  });

  it('filters by reference, dangling, label, before and since', async () => {
    const repo = `berth-test/${uniqueName('filters')}`;
    const old = await pushSmallImage(repo, 'old', {
      created: '2020-01-01T00:00:00Z',
      labels: { tier: 'old' },
      file: 'old.txt',
    });
    const mid = await pushSmallImage(repo, 'mid', {
      created: '2021-06-01T00:00:00Z',
      labels: { tier: 'mid', extra: 'yes' },
      file: 'mid.txt',
    });
    const newer = await pushSmallImage(repo, 'new', {
      created: '2022-01-01T00:00:00Z',
      labels: { tier: 'new' },
      file: 'new.txt',
    });
    const s = newTestStore('images-filters');
    try {
      for (const i of [old, mid, newer]) expect(await pullQ(i.ref, [], s)).toBe(i.id);
      await pullQ(imgs.busybox.ref, [], s);
      const names = async (...filters: string[]) => {
        const args = ['images', '--format', '{{.Repository}}:{{.Tag}}'];
        for (const f of filters) args.push('--filter', f);
        return (await berth(args, { store: s })).stdout.trim().split('\n').filter(Boolean).sort();
      };
      const full = `${ctx.registry}/${repo}`;
      expect(await names(`reference=${full}:mid`)).toEqual([`${full}:mid`]);
      expect(await names(`reference=${full}:*`)).toEqual([`${full}:mid`, `${full}:new`, `${full}:old`]);
      expect(await names(`reference=${ctx.registry}/berth-test/busybox`)).toEqual([
        `${repoOf(imgs.busybox)}:latest`,
      ]);
      expect(await names('label=tier=mid')).toEqual([`${full}:mid`]);
      expect(await names('label=tier')).toEqual([`${full}:mid`, `${full}:new`, `${full}:old`]);
      expect(await names('label=extra')).toEqual([`${full}:mid`]);
      expect(await names(`before=${full}:mid`)).toEqual([`${full}:old`]);
      expect(await names(`since=${full}:mid`)).toEqual(
        [`${repoOf(imgs.busybox)}:latest`, `${full}:new`].sort(),
      );
      expect(await names('dangling=true')).toEqual([]);
      // Tagging another image with :old leaves the first one without a name: dangling.
      await berth(['tag', newer.ref, old.ref], { store: s });
      const dangling = await berth(['images', '--filter', 'dangling=true'], { store: s });
      const rows = tableRows(dangling.stdout);
      expect(rows).toHaveLength(1);
      // Untagged, but it came by digest: Docker shows the repository with tag <none>.
      expect(rows[0].slice(0, 3)).toEqual([full, '<none>', old.id.slice(0, 12)]);
      const tagged = [`${full}:mid`, `${full}:new`, `${full}:old`, `${repoOf(imgs.busybox)}:latest`].sort();
      expect(await names('dangling=false')).toEqual(tagged);
      const bad = await berth(['images', '--filter', 'bogus=1'], { store: s, expectExit: 125 });
      expect(bad.stderr).toMatch(/^Error: .*bogus/);

      // prune removes the dangling image only; -a removes the rest.
      const p = await berth(['image', 'prune', '-f'], { store: s });
      expect(p.stdout).toContain(`deleted: sha256:${old.id}`);
      expect(p.stdout).toMatch(/Total reclaimed space: /);
      expect(await names()).toEqual(tagged);
      await berth(['image', 'exists', old.id], { store: s, expectExit: 1 });
      const pa = await berth(['image', 'prune', '-a', '-f'], { store: s });
      for (const i of [mid, newer]) expect(pa.stdout).toContain(`deleted: sha256:${i.id}`);
      expect(pa.stdout).toContain(`deleted: sha256:${idOf(imgs.busybox)}`);
      expect((await berth(['images', '-q'], { store: s })).stdout).toBe('');
      const st = storeState(s);
      expect(st.images).toEqual([]);
      expect(st.layers).toEqual([]);
      expect(st.blobs).toEqual([]);
      assertStoreConsistent(s);
    } finally {
      assertNoLeaks(s);
      await s.cleanup();
    }
  });
});

describe('inspect, tag, rmi, exists', () => {
  it('inspect finds images by name, id and id prefix, top-level and in the image group', async () => {
    const byName = await berth(['inspect', '--format', '{{.Id}}', imgs.owners.ref], { store });
    expect(byName.stdout).toBe(`sha256:${idOf(imgs.owners)}\n`);
    const byId = await berth(['inspect', '--format', '{{.Id}}', idOf(imgs.owners).slice(0, 12)], { store });
    expect(byId.stdout).toBe(byName.stdout);
    const full = await berth(['image', 'inspect', `sha256:${idOf(imgs.owners)}`], { store });
    expect(JSON.parse(full.stdout)[0].RepoTags).toEqual([`${repoOf(imgs.owners)}:latest`]);
    const missing = await berth(['image', 'inspect', 'nosuch:image'], { store, expectExit: 125 });
    expect(missing.stderr).toMatch(/^Error: .*[Nn]o such image/);
    expect(missing.stdout.trim()).toBe('[]');
  });

  it('tag adds names; rmi untags first and deletes with the last name; -f; several targets', async () => {
    const s = newTestStore('images-rmi');
    try {
      const id = idOf(imgs.busybox);
      await pullQ(imgs.busybox.ref, [], s);
      await berth(['tag', imgs.busybox.ref, 'mine/bb:one'], { store: s });
      await berth(['image', 'tag', id.slice(0, 12), 'localhost:5000/bb:two'], { store: s });
      const info = await inspect('mine/bb:one', s);
      expect(info.Id).toBe(`sha256:${id}`);
      expect(info.RepoTags.sort()).toEqual(
        [`${repoOf(imgs.busybox)}:latest`, 'localhost:5000/bb:two', 'mine/bb:one'].sort(),
      );
      const bad = await berth(['tag', imgs.busybox.ref, 'Bad/Upper'], { store: s, expectExit: 125 });
      expect(bad.stderr).toMatch(/^Error: /);
      await berth(['tag', 'no/such:image', 'x/y'], { store: s, expectExit: 125 });

      const un = await berth(['rmi', 'mine/bb:one'], { store: s });
      expect(un.stdout).toBe('Untagged: mine/bb:one\n');
      await berth(['image', 'exists', 'mine/bb:one'], { store: s, expectExit: 1 });
      await berth(['image', 'exists', 'localhost:5000/bb:two'], { store: s });

      // By id with two names left: refused without -f.
      const conflict = await berth(['rmi', id.slice(0, 12)], { store: s, expectExit: 125 });
      expect(conflict.stderr).toMatch(/^Error: .*must be forced/);

      // Several targets, one missing: each is reported, the others still go.
      await pullQ(imgs.owners.ref, [], s);
      const many = await berth(['image', 'rm', 'localhost:5000/bb:two', 'no/such:thing', imgs.owners.ref], {
        store: s,
        expectExit: 1,
      });
      expect(many.stdout).toContain('Untagged: localhost:5000/bb:two');
      expect(many.stdout).toContain(`Untagged: ${repoOf(imgs.owners)}:latest`);
      expect(many.stdout).toContain(`Deleted: sha256:${idOf(imgs.owners)}`);
      expect(many.stderr.trim().split('\n')).toEqual(['Error: No such image: no/such:thing']);
      await berth(['image', 'exists', imgs.owners.ref], { store: s, expectExit: 1 });

      // The last name: deleting the image, its layers and its blobs.
      const del = await berth(['rmi', imgs.busybox.ref], { store: s });
      expect(del.stdout).toContain(`Untagged: ${repoOf(imgs.busybox)}:latest`);
      expect(del.stdout).toContain(`Deleted: sha256:${id}`);
      const st = storeState(s);
      expect(st.images).toEqual([]);
      expect(st.layers).toEqual([]);
      expect(st.blobs).toEqual([]);
      assertStoreConsistent(s);

      // -f deletes an image that has several names at once.
      await pullQ(imgs.busybox.ref, [], s);
      await berth(['tag', imgs.busybox.ref, 'other/name:x'], { store: s });
      const forced = await berth(['rmi', '-f', id], { store: s });
      expect(forced.stdout).toContain(`Deleted: sha256:${id}`);
      expect(forced.stdout).toContain('Untagged: other/name:x');
      expect(storeState(s).images).toEqual([]);
      await berth(['image', 'exists', id], { store: s, expectExit: 1 });
      assertStoreConsistent(s);
    } finally {
      assertNoLeaks(s);
      await s.cleanup();
    }
  });
});

describe('bad input', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'uppercase repository',
      ['pull', `${ctx.registry}/Berth-Test/BusyBox`],
      /invalid reference|must be lowercase|repository name/i,
    ],
    ['bad digest', ['pull', `${ctx.registry}/berth-test/busybox@sha256:abc`], /digest/i],
    [
      'unknown image',
      ['pull', `${ctx.registry}/berth-test/nosuch:latest`],
      /manifest unknown|not found|name unknown/i,
    ],
    [
      'unknown tag',
      ['image', 'pull', `${ctx.registry}/berth-test/busybox:nosuchtag`],
      /manifest unknown|not found/i,
    ],
    [
      'unreachable registry',
      ['pull', '127.0.0.1:1/berth-test/busybox'],
      /127\.0\.0\.1:1.*(connect|reach|refused)/i,
    ],
    ['garbage platform', ['pull', '--platform', 'no/such/plat/form', imgs.busybox.ref], /platform/i],
    ['platform not in the index', ['pull', '--platform', 'linux/s390x', imgs.multiarch.ref], /s390x/],
  ];
  for (const [what, args, why] of cases) {
    it(`${what}: one Error line, 125, nothing stored`, async () => {
      const s = newTestStore(`bad-${what}`);
      try {
        const r = await berth(args, { store: s, expectExit: 125 });
        expect(r.stdout).toBe('');
        const errLines = r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('Trying to pull'));
        expect(errLines[0]).toMatch(/^Error: /);
        expect(errLines[0]).toMatch(why);
        expect(errLines.length).toBeLessThanOrEqual(2); // the error, perhaps a hint
        const st = storeState(s);
        expect(st.images).toEqual([]);
        expect(st.layers).toEqual([]);
        expect(st.blobs).toEqual([]);
        expect(st.tmp).toEqual([]);
      } finally {
        await s.cleanup();
      }
    });
  }
});
