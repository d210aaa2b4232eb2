import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { blobOf, makeLayer, makeManifest, MediaType } from '../harness/oci.js';
import { pushBlob, pushManifest } from '../harness/pusher.js';
import type { TestStore } from '../harness/store.js';
import { buildTar, type TarEntry } from '../harness/tar.js';

/** Helpers shared by the image integration tests: store contents, registry proxies, extra images. */

export interface StoreLayerRecord {
  id: string;
  diffId: string;
  compressedDigest?: string;
  shortId: string;
  incomplete?: boolean;
}

export interface StoreImageRecord {
  id: string;
  names: string[];
  digests: string[];
  layers: string[];
  manifestDigest: string;
  configDigest: string;
  blobs?: string[];
  incomplete?: boolean;
}

function readJsonOr<T>(path: string, fallback: T): T {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : fallback;
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** What the store holds on disk, read straight from its files (the tests run as root or as its owner). */
export function storeState(store: TestStore) {
  const root = store.root;
  return {
    layers: readJsonOr<StoreLayerRecord[]>(join(root, 'layers.json'), []),
    images: readJsonOr<StoreImageRecord[]>(join(root, 'images.json'), []),
    blobs: list(join(root, 'blobs', 'sha256')).map((h) => `sha256:${h}`),
    layerDirs: list(join(root, 'layers')),
    links: list(join(root, 'l')),
    tmp: list(join(root, 'tmp')),
  };
}

/**
 * Throws unless the store is consistent: no incomplete records, nothing in tmp/, a directory and
 * a link for every layer and none without a record, every blob referenced by an image or layer.
 */
export function assertStoreConsistent(store: TestStore): void {
  const s = storeState(store);
  const problems: string[] = [];
  for (const l of s.layers) if (l.incomplete) problems.push(`incomplete layer ${l.id}`);
  for (const i of s.images) if (i.incomplete) problems.push(`incomplete image ${i.id}`);
  for (const t of s.tmp) problems.push(`left in tmp/: ${t}`);
  const ids = new Set(s.layers.map((l) => l.id));
  for (const d of s.layerDirs) if (!ids.has(d)) problems.push(`layer dir without record: ${d}`);
  for (const l of s.layers)
    if (!s.layerDirs.includes(l.id)) problems.push(`layer record without dir: ${l.id}`);
  const shorts = new Set(s.layers.map((l) => l.shortId));
  for (const link of s.links) if (!shorts.has(link)) problems.push(`dangling l/ link: ${link}`);
  const referenced = new Set<string>();
  for (const i of s.images) {
    referenced.add(i.manifestDigest);
    referenced.add(i.configDigest);
    for (const b of i.blobs ?? []) referenced.add(b);
    for (const l of i.layers) if (!ids.has(l)) problems.push(`image ${i.id} uses missing layer ${l}`);
  }
  for (const l of s.layers) if (l.compressedDigest) referenced.add(l.compressedDigest);
  for (const b of s.blobs) if (!referenced.has(b)) problems.push(`unreferenced blob ${b}`);
  for (const r of referenced) if (!s.blobs.includes(r)) problems.push(`missing blob ${r}`);
  if (problems.length) throw new Error(`store ${store.root} is inconsistent:\n  ${problems.join('\n  ')}`);
}

// ----- a proxy in front of the harness registry -----

export interface ProxyOptions {
  /** Flip one byte in the middle of the response body of this blob digest. */
  corruptBlob?: string;
  /** Deliver blob bodies at about this many bytes per second. */
  bytesPerSecond?: number;
}

export interface RegistryProxy {
  addr: string;
  /** Blob digests the proxy was asked for (GET). */
  blobRequests: string[];
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 that forwards everything to `target` (host:port), optionally mangling blobs. */
export async function startProxy(target: string, opts: ProxyOptions = {}): Promise<RegistryProxy> {
  const [host, port] = target.split(':');
  const blobRequests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const m = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
    const blob = req.method === 'GET' && m ? m[1] : undefined;
    if (blob) blobRequests.push(blob);
    const up = request(
      {
        host,
        port: Number(port),
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target },
      },
      async (upRes) => {
        const headers = { ...upRes.headers };
        // Keep redirects pointing at us, so every byte passes through the proxy.
        if (typeof headers.location === 'string') headers.location = headers.location.replace(target, addr);
        res.writeHead(upRes.statusCode ?? 502, headers);
        if (!blob || (opts.corruptBlob !== blob && !opts.bytesPerSecond)) {
          upRes.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        for await (const c of upRes) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        if (opts.corruptBlob === blob && body.length > 0) body[body.length >> 1] ^= 0x01;
        if (!opts.bytesPerSecond) {
          res.end(body);
          return;
        }
        const slice = Math.max(1, Math.floor(opts.bytesPerSecond / 20));
        for (let off = 0; off < body.length && !res.destroyed; off += slice) {
          res.write(body.subarray(off, off + slice));
          await new Promise((r) => setTimeout(r, 50));
        }
        res.end();
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    addr,
    blobRequests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ----- berth as a child we can kill -----

/** Starts berth as the test user in its own process group; the caller waits or kills. */
export function spawnBerth(args: string[], store: TestStore): ChildProcess {
  const ctx = harness();
  const u = ctx.user;
  const berthBin = join(repoRoot(), 'bin', 'berth');
  const full = ['--root', store.root, '--runroot', store.runRoot, ...args];
  const argv = ctx.isRoot
    ? [
        'setpriv',
        '--reuid',
        String(u.uid),
        '--regid',
        String(u.gid),
        '--init-groups',
        '--',
        berthBin,
        ...full,
      ]
    : [berthBin, ...full];
  return spawn(argv[0], argv.slice(1), {
    env: {
      HOME: u.home,
      USER: u.name,
      PATH: `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${process.execPath.replace(/\/node$/, '')}`,
      XDG_RUNTIME_DIR: ctx.runtimeDir,
    },
    cwd: u.home,
    stdio: 'ignore',
    detached: true,
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

// ----- small images made by a test -----

export interface PushedImage {
  ref: string;
  id: string;
  digest: string;
  diffIds: string[];
}

/**
 * Pushes a one-layer image with its own created time and labels (the harness's images all share
 * one created time, so before=/since= need these).
 */
export async function pushSmallImage(
  repository: string,
  tag: string,
  opts: { created: string; labels: Record<string, string>; file: string },
): Promise<PushedImage> {
  const ctx = harness();
  const entries: TarEntry[] = [{ path: opts.file, type: 'file', content: `${opts.file}\n` }];
  const layer = await makeLayer(await buildTar(entries), 'gzip', true);
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        created: opts.created,
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['/bin/sh'], Labels: opts.labels },
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
        history: [{ created: opts.created, created_by: `ADD ${opts.file}` }],
      }),
    ),
  );
  const manifest = makeManifest(config, [layer], true);
  const target = { addr: ctx.registry };
  await pushBlob(target, repository, layer);
  await pushBlob(target, repository, config);
  const digest = await pushManifest(target, repository, tag, MediaType.ociManifest, manifest);
  return {
    ref: `${ctx.registry}/${repository}:${tag}`,
    id: config.digest.slice(7),
    digest,
    diffIds: [layer.diffId],
  };
}
