import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

export type Compression = 'gzip' | 'zstd' | 'none';

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface Blob {
  digest: string;
  size: number;
  data: Buffer;
}

export function blobOf(data: Buffer): Blob {
  return { digest: sha256(data), size: data.length, data };
}

/** A layer as pushed (compressed) plus the digest of its uncompressed tar (the config's diff_id). */
export interface Layer extends Blob {
  mediaType: string;
  diffId: string;
}

export async function compress(tarball: Buffer, how: Compression): Promise<Buffer> {
  if (how === 'none') return tarball;
  // Node writes a gzip header with mtime 0, so the output depends on the input only.
  if (how === 'gzip') return gzipSync(tarball, { level: 6 });
  return zstd(tarball);
}

function zstd(input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'zstd',
      ['-q', '-c', '-3', '--no-progress'],
      { encoding: 'buffer', maxBuffer: 1 << 28 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`zstd failed: ${err.message} ${stderr.toString()}`));
        else resolve(stdout);
      },
    );
    child.stdin!.end(input);
  });
}

export async function makeLayer(tarball: Buffer, how: Compression, oci: boolean): Promise<Layer> {
  const data = await compress(tarball, how);
  let mediaType: string;
  if (!oci) {
    if (how !== 'gzip') throw new Error('Docker schema2 test layers are gzip only');
    mediaType = MediaType.dockerLayerGzip;
  } else {
    mediaType =
      how === 'gzip' ? MediaType.ociLayerGzip : how === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer;
  }
  return { ...blobOf(data), mediaType, diffId: sha256(tarball) };
}

export interface ImageConfigInput {
  architecture: string;
  variant?: string;
  env: string[];
  cmd: string[];
  labels: Record<string, string>;
  history: { created_by: string; empty_layer?: boolean; comment?: string }[];
  diffIds: string[];
}

const CREATED = '2024-01-01T00:00:00Z';

export function makeConfig(input: ImageConfigInput): Buffer {
  const config = {
    created: CREATED,
    architecture: input.architecture,
    ...(input.variant ? { variant: input.variant } : {}),
    os: 'linux',
    config: { Env: input.env, Cmd: input.cmd, Labels: input.labels, WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: input.diffIds },
    history: input.history.map((h) => ({ created: CREATED, ...h })),
  };
  return Buffer.from(JSON.stringify(config));
}

export function makeManifest(config: Blob, layers: Layer[], oci: boolean): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: oci ? MediaType.ociManifest : MediaType.dockerManifest,
    config: {
      mediaType: oci ? MediaType.ociConfig : MediaType.dockerConfig,
      digest: config.digest,
      size: config.size,
    },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  return Buffer.from(JSON.stringify(manifest, null, 2));
}

export interface IndexEntry {
  digest: string;
  size: number;
  architecture: string;
  variant?: string;
}

export function makeIndex(entries: IndexEntry[]): Buffer {
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: entries.map((e) => ({
      mediaType: MediaType.ociManifest,
      digest: e.digest,
      size: e.size,
      platform: { architecture: e.architecture, os: 'linux', ...(e.variant ? { variant: e.variant } : {}) },
    })),
  };
  return Buffer.from(JSON.stringify(index, null, 2));
}
