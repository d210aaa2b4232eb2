import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaType, parseManifest } from '../../../src/image/manifest.js';
import { RegistryClient } from '../../../src/image/registry/client.js';
import { BerthError } from '../../../src/util/errors.js';
import { collect, makeImage, rejection, sha256 } from './fixtures.js';
import { freePort, startRegistry, type TestRegistry } from './registry-server.js';

const fast = { retries: 2, baseDelayMs: 5 };

async function push(client: RegistryClient, repo: string, tag: string, img = makeImage()) {
  await client.uploadBlob(repo, sha256(img.config), img.config, img.config.length);
  // The layer goes up as a stream, as push will send it.
  await client.uploadBlob(repo, sha256(img.layer), Readable.from([img.layer]), img.layer.length);
  const digest = await client.putManifest(repo, tag, img.manifest, MediaType.DockerManifest);
  return { ...img, digest };
}

describe('RegistryClient against docker-registry without auth', () => {
  let reg: TestRegistry;
  let client: RegistryClient;
  beforeAll(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ host: reg.host, userAgent: 'berth-test', retry: fast });
  });
  afterAll(async () => {
    await client?.close();
    await reg?.stop();
  });

  it('pushes an image and reads it back', async () => {
    const img = await push(client, 'test/app', 'v1');
    expect(img.digest).toBe(img.manifestDigest);
    expect(await client.blobExists('test/app', sha256(img.layer))).toBe(true);
    expect(await client.blobExists('test/app', sha256(Buffer.from('nope')))).toBe(false);

    const byTag = await client.getManifest('test/app', 'v1');
    expect(byTag.bytes.equals(img.manifest)).toBe(true);
    expect(byTag.digest).toBe(img.manifestDigest);
    expect(byTag.mediaType).toBe(MediaType.DockerManifest);
    const parsed = parseManifest(byTag.bytes, byTag.mediaType);
    expect(parsed.kind === 'image' && parsed.layers[0].digest).toBe(sha256(img.layer));

    const byDigest = await client.getManifest('test/app', img.manifestDigest);
    expect(byDigest.digest).toBe(img.manifestDigest);
    const head = await client.headManifest('test/app', 'v1');
    expect(head).toMatchObject({ digest: img.manifestDigest, size: img.manifest.length });

    const config = await collect(await client.getBlob('test/app', sha256(img.config)));
    expect(config.equals(img.config)).toBe(true);
    const tail = await collect(await client.getBlob('test/app', sha256(img.layer), { offset: 1000 }));
    expect(tail.equals(img.layer.subarray(1000))).toBe(true);

    const seen: number[] = [];
    const layer = await collect(
      client.fetchBlob('test/app', sha256(img.layer), {
        size: img.layer.length,
        onProgress: (n) => seen.push(n),
      }),
    );
    expect(layer.equals(img.layer)).toBe(true);
    expect(seen.at(-1)).toBe(img.layer.length);
  });

  it('lists tags and mounts blobs across repositories', async () => {
    const img = await push(client, 'test/tags', 'a');
    await client.putManifest('test/tags', 'b', img.manifest, MediaType.DockerManifest);
    expect((await client.listTags('test/tags')).sort()).toEqual(['a', 'b']);
    const mounted = await client.uploadBlob('test/other', sha256(img.layer), img.layer, img.layer.length, {
      mountFrom: 'test/tags',
    });
    expect(mounted).toEqual({ mounted: true });
    expect(await client.blobExists('test/other', sha256(img.layer))).toBe(true);
  });

  it('reports missing manifests, repositories and blobs clearly', async () => {
    await push(client, 'test/missing', 'v1');
    const e = await rejection(client.getManifest('test/missing', 'nope'));
    expect(e).toBeInstanceOf(BerthError);
    expect(e.message).toBe(`reading manifest ${reg.host}/test/missing: manifest unknown: nope`);
    expect(e.code).toBe('not-found');

    const repo = await rejection(client.getManifest('no/such-repo', 'latest'));
    expect(repo.message).toMatch(
      new RegExp(`${reg.host}/no/such-repo: (repository no/such-repo not found|manifest unknown)`),
    );
    const tags = await rejection(client.listTags('no/such-repo'));
    expect(tags.message).toBe(`listing tags of ${reg.host}/no/such-repo: repository no/such-repo not found`);

    const digest = sha256(Buffer.from('absent'));
    const blob = await rejection(collect(client.fetchBlob('test/missing', digest)));
    expect(blob.message).toBe(`reading blob ${reg.host}/test/missing: blob unknown: ${digest}`);
  });

  it('refuses a Buffer whose size is not the declared one', async () => {
    const b = Buffer.from('abc');
    const e = await rejection(client.uploadBlob('test/app', sha256(b), b, 4));
    expect(e.message).toMatch(/3 bytes given, 4 declared/);
  });

  it('says connection refused for a closed port', async () => {
    const port = await freePort();
    const c = new RegistryClient({ host: `127.0.0.1:${port}` });
    const e = await rejection(c.getManifest('a/b', 'latest'));
    expect(e).toBeInstanceOf(BerthError);
    expect(e.message).toBe(`cannot reach 127.0.0.1:${port}: connection refused`);
    await c.close();
  });
});

describe('RegistryClient against docker-registry with htpasswd auth', () => {
  let reg: TestRegistry;
  const user = { username: 'alice', password: 's3cret-pass' };
  beforeAll(async () => {
    reg = await startRegistry({ user: user.username, password: user.password });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  const client = (creds?: { username: string; password: string }, debug?: (l: string) => void) =>
    new RegistryClient({
      host: reg.host,
      credentials: async () => creds,
      retry: fast,
      ...(debug && { debug }),
    });

  it('pushes and pulls with the right credentials, without logging them', async () => {
    const lines: string[] = [];
    const c = client(user, (l) => lines.push(l));
    const img = await push(c, 'private/app', 'v1');
    const m = await c.getManifest('private/app', 'v1');
    expect(m.digest).toBe(img.manifestDigest);
    await c.checkLogin();
    await c.close();
    const all = lines.join('\n');
    expect(all).toContain('<redacted>');
    expect(all).not.toContain(user.password);
    expect(all).not.toContain(Buffer.from(`${user.username}:${user.password}`).toString('base64'));
  });

  it('says unauthorized without credentials and with wrong ones', async () => {
    const anon = client(undefined);
    const e = await rejection(anon.getManifest('private/app', 'v1'));
    expect(e.message).toBe(`reading manifest ${reg.host}/private/app: unauthorized: authentication required`);
    expect(e.code).toBe('unauthorized');
    expect(e.hint).toContain(`berth login ${reg.host}`);
    await anon.close();

    const wrong = client({ username: 'alice', password: 'wrong' });
    const login = await rejection(wrong.checkLogin());
    expect(login.message).toBe(`logging in to ${reg.host}: unauthorized: incorrect username or password`);
    expect(login.code).toBe('unauthorized');
    const get = await rejection(wrong.getManifest('private/app', 'v1'));
    expect(get.code).toBe('unauthorized');
    expect(get.message).not.toContain('wrong');
    await wrong.close();
  });
});
