import { createHash, randomBytes } from 'node:crypto';
import { MediaType } from '../../../src/image/manifest.js';

export function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A small schema2 image: a config blob, one "layer" blob, and the manifest naming them. */
export function makeImage(layerSize = 200_000) {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      config: {},
    }),
  );
  const layer = randomBytes(layerSize);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.DockerManifest,
      config: { mediaType: MediaType.DockerConfig, size: config.length, digest: sha256(config) },
      layers: [{ mediaType: MediaType.DockerLayerGzip, size: layer.length, digest: sha256(layer) }],
    }),
  );
  return { config, layer, manifest, manifestDigest: sha256(manifest) };
}

export async function collect(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(parts);
}

export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string; hint?: string };
  }
  throw new Error('expected a rejection');
}
