import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import {
  type Blob,
  blobOf,
  type Compression,
  type Layer,
  MediaType,
  makeConfig,
  makeIndex,
  makeLayer,
  makeManifest,
} from './oci.js';
import { buildTar, type TarEntry } from './tar.js';

/**
 * The test images, built from busybox-static on this machine. Content is fixed (mtimes, owners,
 * order), so digests stay the same from run to run on one machine.
 */

export const BUSYBOX_PATH = '/bin/busybox';
export const IMAGE_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A single-platform image ready to push: its manifest and every blob it references. */
export interface BuiltManifest {
  mediaType: string;
  manifest: Buffer;
  digest: string;
  config: Blob;
  layers: Layer[];
}

export interface BuiltIndex {
  mediaType: string;
  manifest: Buffer;
  digest: string;
  children: { architecture: string; image: BuiltManifest }[];
}

export type BuiltImage = BuiltManifest | BuiltIndex;

export function isIndex(img: BuiltImage): img is BuiltIndex {
  return 'children' in img;
}

export const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\n' +
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' +
  'tester:x:1000:1000::/home/tester:/bin/sh\n';
export const GROUP = 'root:x:0:\nnobody:x:65534:\ntester:x:1000:\n';

/** Applet paths from `busybox --list-full`, e.g. "bin/sh", "usr/bin/awk". */
function appletPaths(): string[] {
  const out = execFileSync(BUSYBOX_PATH, ['--list-full'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('/') && l !== 'bin/busybox')
    .sort();
}

export function baseLayerEntries(): TarEntry[] {
  const dirs: TarEntry[] = [
    { path: 'bin', type: 'directory' },
    { path: 'dev', type: 'directory' },
    { path: 'etc', type: 'directory' },
    { path: 'home', type: 'directory' },
    { path: 'home/tester', type: 'directory', uid: 1000, gid: 1000 },
    { path: 'opt', type: 'directory' },
    { path: 'opt/data', type: 'directory' },
    { path: 'proc', type: 'directory' },
    { path: 'root', type: 'directory', mode: 0o700 },
    { path: 'sbin', type: 'directory' },
    { path: 'sys', type: 'directory' },
    { path: 'tmp', type: 'directory', mode: 0o1777 },
    { path: 'usr', type: 'directory' },
    { path: 'usr/bin', type: 'directory' },
    { path: 'usr/sbin', type: 'directory' },
    { path: 'var', type: 'directory' },
  ];
  const files: TarEntry[] = [
    { path: 'bin/busybox', type: 'file', mode: 0o755, content: readFileSync(BUSYBOX_PATH) },
    { path: 'etc/passwd', type: 'file', content: PASSWD },
    { path: 'etc/group', type: 'file', content: GROUP },
    { path: 'etc/motd-to-delete', type: 'file', content: 'this file is deleted by busybox:layered\n' },
    { path: 'opt/data/old-1.txt', type: 'file', content: 'old content 1\n' },
    { path: 'opt/data/old-2.txt', type: 'file', content: 'old content 2\n' },
  ];
  // Absolute symlinks, as Alpine does: they also check that extraction never follows them out.
  const links: TarEntry[] = appletPaths().map((p) => ({ path: p, type: 'symlink', target: '/bin/busybox' }));
  return [...dirs, ...files, ...links];
}

export function layeredEntries(): TarEntry[] {
  return [
    { path: 'etc', type: 'directory' },
    { path: 'etc/.wh.motd-to-delete', type: 'file', content: '' },
    { path: 'opt', type: 'directory' },
    { path: 'opt/data', type: 'directory' },
    { path: 'opt/data/.wh..wh..opq', type: 'file', content: '' },
    { path: 'opt/data/new.txt', type: 'file', content: 'new content\n' },
    { path: 'layer2.txt', type: 'file', content: 'from layer 2\n' },
  ];
}

export function archEntries(arch: string): TarEntry[] {
  return [{ path: 'arch', type: 'file', content: `${arch}\n` }];
}

/**
 * security.capability v2 value for cap_net_raw+ep: magic 0x02000000 | effective flag, then
 * permitted and inheritable words (low, high). Every byte is < 0x80, so a latin1 PAX string
 * carries it unchanged.
 */
export function capNetRawXattr(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(0x02000001, 0);
  b.writeUInt32LE(1 << 13, 4); // CAP_NET_RAW = 13, permitted
  return b;
}

export function ownersEntries(): TarEntry[] {
  return [
    { path: 'data', type: 'directory' },
    { path: 'data/www', type: 'directory', uid: 33, gid: 33 },
    { path: 'data/www/index.html', type: 'file', uid: 33, gid: 33, content: '<h1>owners</h1>\n' },
    { path: 'data/u1000', type: 'directory', uid: 1000, gid: 1000 },
    { path: 'data/u1000/file.txt', type: 'file', uid: 1000, gid: 1000, content: 'owned by 1000\n' },
    { path: 'data/u1000/hardlink.txt', type: 'link', uid: 1000, gid: 1000, target: 'data/u1000/file.txt' },
    { path: 'data/u1000/symlink', type: 'symlink', uid: 1000, gid: 1000, target: 'file.txt' },
    { path: 'data/setuid', type: 'file', mode: 0o4755, content: '#!/bin/sh\necho setuid\n' },
    {
      path: 'data/cap-file',
      type: 'file',
      mode: 0o755,
      content: '#!/bin/sh\necho cap\n',
      pax: { 'SCHILY.xattr.security.capability': capNetRawXattr().toString('latin1') },
    },
  ];
}

interface ImageSpec {
  layers: TarEntry[][];
  layerComments: string[];
  compression: Compression;
  oci: boolean;
  architecture?: string;
  variant?: string;
  label: string;
}

async function buildManifest(spec: ImageSpec, tarCache: Map<TarEntry[], Buffer>): Promise<BuiltManifest> {
  const layers: Layer[] = [];
  for (const entries of spec.layers) {
    let tarball = tarCache.get(entries);
    if (!tarball) {
      tarball = await buildTar(entries);
      tarCache.set(entries, tarball);
    }
    layers.push(await makeLayer(tarball, spec.compression, spec.oci));
  }
  const config = blobOf(
    makeConfig({
      architecture: spec.architecture ?? 'amd64',
      variant: spec.variant,
      env: [IMAGE_PATH_ENV],
      cmd: ['sh'],
      labels: { 'org.berth.test': spec.label },
      history: [
        ...spec.layerComments.map((c) => ({ created_by: c, comment: 'berth test harness' })),
        { created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
      ],
      diffIds: layers.map((l) => l.diffId),
    }),
  );
  const manifest = makeManifest(config, layers, spec.oci);
  return {
    mediaType: spec.oci ? MediaType.ociManifest : MediaType.dockerManifest,
    manifest,
    digest: blobOf(manifest).digest,
    config,
    layers,
  };
}

export type ImageKey =
  | 'busybox'
  | 'busyboxLayered'
  | 'busyboxOci'
  | 'busyboxZstd'
  | 'busyboxPlain'
  | 'multiarch'
  | 'owners';

/** Where each image goes in the test registry: `<registry>/<repository>:<tag>`. */
export const IMAGE_NAMES: Record<ImageKey, { repository: string; tag: string }> = {
  busybox: { repository: 'berth-test/busybox', tag: 'latest' },
  busyboxLayered: { repository: 'berth-test/busybox', tag: 'layered' },
  busyboxOci: { repository: 'berth-test/busybox', tag: 'oci' },
  busyboxZstd: { repository: 'berth-test/busybox', tag: 'zstd' },
  busyboxPlain: { repository: 'berth-test/busybox', tag: 'plain' },
  multiarch: { repository: 'berth-test/multiarch', tag: 'latest' },
  owners: { repository: 'berth-test/owners', tag: 'latest' },
};

export async function buildTestImages(): Promise<Record<ImageKey, BuiltImage>> {
  const cache = new Map<TarEntry[], Buffer>();
  const base = baseLayerEntries();
  const baseComment = 'ADD busybox-static rootfs /';
  const single = (
    layers: TarEntry[][],
    comments: string[],
    compression: Compression,
    oci: boolean,
    label: string,
  ) => buildManifest({ layers, layerComments: comments, compression, oci, label }, cache);

  const arch = async (architecture: string, variant?: string) =>
    buildManifest(
      {
        layers: [base, archEntries(architecture)],
        layerComments: [baseComment, `ADD arch /arch`],
        compression: 'gzip',
        oci: true,
        architecture,
        variant,
        label: 'multiarch',
      },
      cache,
    );
  const amd64 = await arch('amd64');
  const arm64 = await arch('arm64', 'v8');
  const indexBytes = makeIndex([
    { digest: amd64.digest, size: amd64.manifest.length, architecture: 'amd64' },
    { digest: arm64.digest, size: arm64.manifest.length, architecture: 'arm64', variant: 'v8' },
  ]);

  return {
    busybox: await single([base], [baseComment], 'gzip', false, 'busybox'),
    busyboxLayered: await single(
      [base, layeredEntries()],
      [baseComment, 'RUN rm /etc/motd-to-delete && rm -rf /opt/data/* && ...'],
      'gzip',
      false,
      'busybox',
    ),
    busyboxOci: await single([base], [baseComment], 'gzip', true, 'busybox'),
    busyboxZstd: await single([base], [baseComment], 'zstd', true, 'busybox'),
    busyboxPlain: await single([base], [baseComment], 'none', true, 'busybox'),
    multiarch: {
      mediaType: MediaType.ociIndex,
      manifest: indexBytes,
      digest: blobOf(indexBytes).digest,
      children: [
        { architecture: 'amd64', image: amd64 },
        { architecture: 'arm64', image: arm64 },
      ],
    },
    owners: await single([base, ownersEntries()], [baseComment, 'ADD owners /data'], 'gzip', false, 'owners'),
  };
}
