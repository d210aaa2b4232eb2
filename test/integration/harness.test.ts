import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { berth, newTestStore, runAs, uniqueName } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { buildTestImages } from '../harness/images.js';
import { assertNoLeaks, findLeaks, waitForNoLeaks } from '../harness/leaks.js';

const ctx = harness();

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

// biome-ignore lint/suspicious/noExplicitAny: registry JSON of several shapes, checked field by field
async function getJson(url: string, accept: string[], auth?: string): Promise<{ body: any; res: Response }> {
  const res = await fetch(url, {
    headers: { accept: accept.join(', '), ...(auth ? { authorization: auth } : {}) },
  });
  expect(res.status, `GET ${url}`).toBe(200);
  return { body: await res.json(), res };
}

const ALL_MANIFESTS = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

async function layerEntries(repository: string, digest: string): Promise<Map<string, tar.Header>> {
  const res = await fetch(`http://${ctx.registry}/v2/${repository}/blobs/${digest}`);
  expect(res.status).toBe(200);
  const data = Buffer.from(await res.arrayBuffer());
  const extract = tar.extract();
  const entries = new Map<string, tar.Header>();
  const done = (async () => {
    for await (const entry of extract) {
      entries.set(entry.header.name.replace(/\/$/, ''), entry.header);
      entry.resume();
    }
  })();
  extract.end(gunzipSync(data));
  await done;
  return entries;
}

describe('registries', () => {
  it('the anonymous registry answers /v2/', async () => {
    const res = await fetch(`http://${ctx.registry}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('the catalog lists every pushed repository', async () => {
    const { body } = await getJson(`http://${ctx.registry}/v2/_catalog`, ['application/json']);
    expect(body.repositories).toEqual(
      expect.arrayContaining(['berth-test/busybox', 'berth-test/multiarch', 'berth-test/owners']),
    );
    const tags = await getJson(`http://${ctx.registry}/v2/berth-test/busybox/tags/list`, [
      'application/json',
    ]);
    expect(tags.body.tags.sort()).toEqual(['latest', 'layered', 'oci', 'plain', 'zstd']);
  });

  it('the auth registry refuses anonymous requests and accepts tester:s3cret-pw', async () => {
    const anon = await fetch(`http://${ctx.authRegistry}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`http://${ctx.authRegistry}/v2/`, {
      headers: { authorization: basic(ctx.authUser, 'wrong') },
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`http://${ctx.authRegistry}/v2/`, {
      headers: { authorization: basic(ctx.authUser, ctx.authPassword) },
    });
    expect(ok.status).toBe(200);
    const anonManifest = await fetch(`http://${ctx.authRegistry}/v2/private/busybox/manifests/latest`);
    expect(anonManifest.status).toBe(401);
    const { res } = await getJson(
      `http://${ctx.authRegistry}/v2/private/busybox/manifests/latest`,
      ALL_MANIFESTS,
      basic(ctx.authUser, ctx.authPassword),
    );
    expect(res.headers.get('docker-content-digest')).toBe(ctx.images.privateBusybox.digest);
    expect(ctx.images.privateBusybox.ref).toBe(`${ctx.authRegistry}/private/busybox:latest`);
  });
});

describe('test images', () => {
  const cases = [
    [
      'busybox',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
    ],
    [
      'busyboxLayered',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
    ],
    [
      'busyboxOci',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ],
    [
      'busyboxZstd',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ],
    ['busyboxPlain', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.layer.v1.tar'],
    [
      'owners',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
    ],
  ] as const;

  it.each(cases)('%s has manifest %s and layers %s', async (key, manifestType, layerType) => {
    const img = ctx.images[key];
    const { body, res } = await getJson(
      `http://${ctx.registry}/v2/${img.repository}/manifests/${img.tag}`,
      ALL_MANIFESTS,
    );
    expect(res.headers.get('content-type')).toBe(manifestType);
    expect(res.headers.get('docker-content-digest')).toBe(img.digest);
    expect(body.mediaType).toBe(manifestType);
    expect(body.config.digest).toBe(img.configDigest);
    for (const layer of body.layers) expect(layer.mediaType).toBe(layerType);
    const config = await getJson(`http://${ctx.registry}/v2/${img.repository}/blobs/${img.configDigest}`, [
      '*/*',
    ]);
    expect(config.body.os).toBe('linux');
    expect(config.body.architecture).toBe('amd64');
    expect(config.body.config.Cmd).toEqual(['sh']);
    expect(config.body.config.Env).toContain(
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    );
    expect(config.body.rootfs.diff_ids).toEqual(img.layers.map((l) => l.diffId));
    expect(config.body.history.filter((h: { empty_layer?: boolean }) => !h.empty_layer)).toHaveLength(
      body.layers.length,
    );
  });

  it('busybox has the test label, one layer, and the same layer as the OCI variant', () => {
    expect(ctx.images.busybox.layers).toHaveLength(1);
    expect(ctx.images.busyboxLayered.layers).toHaveLength(2);
    expect(ctx.images.busyboxLayered.layers[0].digest).toBe(ctx.images.busybox.layers[0].digest);
    expect(ctx.images.busyboxOci.layers[0].digest).toBe(ctx.images.busybox.layers[0].digest);
    // Same uncompressed content whatever the compression.
    expect(ctx.images.busyboxZstd.layers[0].diffId).toBe(ctx.images.busybox.layers[0].diffId);
    expect(ctx.images.busyboxPlain.layers[0].diffId).toBe(ctx.images.busybox.layers[0].diffId);
    expect(ctx.images.busyboxPlain.layers[0].digest).toBe(ctx.images.busybox.layers[0].diffId);
  });

  it('builds the same bytes on every run, so digests are stable', async () => {
    const again = await buildTestImages();
    expect(again.busybox.digest).toBe(ctx.images.busybox.digest);
    expect(again.busyboxZstd.digest).toBe(ctx.images.busyboxZstd.digest);
    expect(again.owners.digest).toBe(ctx.images.owners.digest);
    expect(again.multiarch.digest).toBe(ctx.images.multiarch.digest);
  });

  it('the busybox layer holds busybox, its applets, passwd and the tester home', async () => {
    const entries = await layerEntries(ctx.images.busybox.repository, ctx.images.busybox.layers[0].digest);
    expect(entries.get('bin/busybox')?.mode).toBe(0o755);
    expect(entries.get('bin/sh')).toMatchObject({ type: 'symlink', linkname: '/bin/busybox' });
    expect(entries.get('tmp')).toMatchObject({ type: 'directory', mode: 0o1777 });
    expect(entries.get('home/tester')).toMatchObject({ uid: 1000, gid: 1000 });
    expect(entries.has('etc/passwd')).toBe(true);
    expect(entries.has('etc/motd-to-delete')).toBe(true);
  });

  it('the layered image whites out a file and makes /opt/data opaque', async () => {
    const img = ctx.images.busyboxLayered;
    const entries = await layerEntries(img.repository, img.layers[1].digest);
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        'etc/.wh.motd-to-delete',
        'opt/data/.wh..wh..opq',
        'opt/data/new.txt',
        'layer2.txt',
      ]),
    );
  });

  it('the owners layer keeps owners, links, setuid and the capability xattr', async () => {
    const img = ctx.images.owners;
    const entries = await layerEntries(img.repository, img.layers[1].digest);
    expect(entries.get('data/www')).toMatchObject({ uid: 33, gid: 33 });
    expect(entries.get('data/www/index.html')).toMatchObject({ uid: 33, gid: 33 });
    expect(entries.get('data/u1000')).toMatchObject({ uid: 1000, gid: 1000 });
    expect(entries.get('data/u1000/hardlink.txt')).toMatchObject({
      type: 'link',
      linkname: 'data/u1000/file.txt',
    });
    expect(entries.get('data/u1000/symlink')).toMatchObject({ type: 'symlink', linkname: 'file.txt' });
    expect(entries.get('data/setuid')?.mode).toBe(0o4755);
    const cap = (entries.get('data/cap-file') as { pax?: Record<string, string> } | undefined)?.pax;
    expect(cap?.['SCHILY.xattr.security.capability']).toBeDefined();
  });

  it('the multiarch index has linux/amd64 and linux/arm64 entries', async () => {
    const idx = ctx.images.multiarch;
    const { body, res } = await getJson(
      `http://${ctx.registry}/v2/${idx.repository}/manifests/${idx.tag}`,
      ALL_MANIFESTS,
    );
    expect(res.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(res.headers.get('docker-content-digest')).toBe(idx.digest);
    const platforms = body.manifests.map(
      (m: { platform: { os: string; architecture: string } }) => m.platform,
    );
    expect(platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    for (const p of idx.platforms) {
      const m = await getJson(
        `http://${ctx.registry}/v2/${idx.repository}/manifests/${p.digest}`,
        ALL_MANIFESTS,
      );
      const config = await getJson(
        `http://${ctx.registry}/v2/${idx.repository}/blobs/${m.body.config.digest}`,
        ['*/*'],
      );
      expect(config.body.architecture).toBe(p.architecture);
      const entries = await layerEntries(idx.repository, p.layers[1].digest);
      expect(entries.has('arch')).toBe(true);
    }
  });
});

describe('berth() and stores', () => {
  const store = newTestStore('harness');
  afterAll(() => store.cleanup());

  it('runs commands as the test user with a clean environment', async () => {
    const r = await runAs('sh', ['-c', 'id -u; echo "$HOME|$USER|$XDG_RUNTIME_DIR"; env | wc -l'], {
      env: { EXTRA: 'yes' },
    });
    const [uid, vars, count] = r.stdout.trim().split('\n');
    expect(Number(uid)).toBe(ctx.user.uid);
    expect(vars).toBe(`${ctx.user.home}|${ctx.user.name}|${ctx.runtimeDir}`);
    // HOME USER LOGNAME PATH XDG_RUNTIME_DIR EXTRA, plus PWD and SHLVL that sh sets itself.
    expect(Number(count)).toBeLessThanOrEqual(8);
    expect(statSync(ctx.runtimeDir).uid).toBe(ctx.user.uid);
    expect(statSync(ctx.runtimeDir).mode & 0o777).toBe(0o700);
  });

  it('throws with both exit codes and the output when the exit code is not the expected one', async () => {
    await expect(runAs('sh', ['-c', 'echo out; echo err >&2; exit 3'])).rejects.toThrow(
      /exited 3, expected 0[\s\S]*out[\s\S]*err/,
    );
    const r = await runAs('sh', ['-c', 'cat; exit 3'], { expectExit: 3, input: 'piped' });
    expect(r).toEqual({ stdout: 'piped', stderr: '', exitCode: 3 });
  });

  it('kills a command that runs past its timeout', async () => {
    await expect(runAs('sleep', ['30'], { timeoutMs: 300 })).rejects.toThrow(/timed out/);
  });

  it('makes a store the test user can write, and finds no leaks in it', async () => {
    expect(existsSync(store.root)).toBe(true);
    expect(existsSync(store.runRoot)).toBe(true);
    await runAs('sh', ['-c', `touch ${store.root}/x ${store.runRoot}/y`]);
    expect(statSync(join(store.root, 'x')).uid).toBe(ctx.user.uid);
    assertNoLeaks(store);
  });

  // Unprivileged runs see only processes in berth's namespace: a plain sleep is not one.
  it.skipIf(!ctx.isRoot)('reports a process left behind by a store', async () => {
    const marker = join(store.dir, 'marker');
    writeFileSync(marker, '');
    const child = runAs('sh', ['-c', `cd ${store.dir} && exec sleep 20`], {
      expectExit: 137,
      timeoutMs: 60_000,
    });
    let caught: unknown;
    for (let i = 0; i < 50 && caught === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        assertNoLeaks(store);
      } catch (e) {
        caught = e;
      }
    }
    expect(String(caught)).toMatch(/process left: .* sleep/);
    await runAs('pkill', ['-KILL', '-u', String(ctx.user.uid), '-x', 'sleep'], { expectExit: 0 });
    await child.catch(() => undefined);
    await waitForNoLeaks(store, { timeoutMs: 5_000 });
  });

  it.skipIf(!ctx.isRoot)('reports a process of no store only when strict', async () => {
    const child = runAs('sh', ['-c', 'exec sleep 21'], { expectExit: 137, timeoutMs: 60_000 });
    const seen = (strict: boolean) => findLeaks(store, { strict }).some((l) => /sleep 21/.test(l));
    for (let i = 0; i < 50 && !seen(true); i++) await new Promise((r) => setTimeout(r, 100));
    expect(seen(true)).toBe(true);
    expect(seen(false)).toBe(false);
    await runAs('pkill', ['-KILL', '-u', String(ctx.user.uid), '-f', '^sleep 21$'], { expectExit: 0 });
    await child.catch(() => undefined);
  });

  it('cleanup removes the store, including files owned by the test user', async () => {
    const extra = newTestStore('harness-extra');
    await runAs('sh', ['-c', `mkdir -p ${extra.root}/a/b && touch ${extra.root}/a/b/c`]);
    await extra.cleanup();
    expect(existsSync(extra.dir)).toBe(false);
  });

  it('uniqueName gives distinct, lowercase names', () => {
    const a = uniqueName('Ctr');
    const b = uniqueName('Ctr');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^ctr-[a-z0-9]+$/);
  });

  it.skipIf(!existsSync(join(ctx.repoRoot, 'dist', 'berth.js')))(
    'berth --version runs the built CLI',
    async () => {
      const r = await berth(['--version'], { store });
      expect(r.stdout).toMatch(/\d+\.\d+\.\d+/);
    },
  );
});
