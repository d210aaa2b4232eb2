import { join } from 'node:path';
import { parseDigest } from './digest.js';

/**
 * Pure: where things live in a store rooted at `root`.
 *
 *   storage.lock            flock for layers.json + images.json, holding the last-write token
 *   layers.json             layer records        images.json   image records
 *   blobs/sha256/<hex>      manifests, configs, compressed layers as pulled
 *   layers/<id>/diff        an extracted layer   layers/<id>/link   its short id
 *   l/<short>               -> ../layers/<id>/diff, to keep overlay mount options short
 *   locks/layer-<id>.lock   held while a layer is being populated
 *   tmp/                    downloads in progress and directories being deleted
 */
export interface StoreLayout {
  root: string;
  lockFile: string;
  layersJson: string;
  imagesJson: string;
  blobsDir: string;
  layersDir: string;
  linksDir: string;
  locksDir: string;
  tmpDir: string;
}

export function storeLayout(root: string): StoreLayout {
  return {
    root,
    lockFile: join(root, 'storage.lock'),
    layersJson: join(root, 'layers.json'),
    imagesJson: join(root, 'images.json'),
    blobsDir: join(root, 'blobs'),
    layersDir: join(root, 'layers'),
    linksDir: join(root, 'l'),
    locksDir: join(root, 'locks'),
    tmpDir: join(root, 'tmp'),
  };
}

export function blobPathIn(root: string, digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return join(root, 'blobs', algorithm, hex);
}

export function layerDirIn(root: string, id: string): string {
  return join(root, 'layers', id);
}

export function layerDiffIn(root: string, id: string): string {
  return join(root, 'layers', id, 'diff');
}

export function layerLockIn(root: string, id: string): string {
  return join(root, 'locks', `layer-${id}.lock`);
}

export function shortLinkIn(root: string, shortId: string): string {
  return join(root, 'l', shortId);
}

const SHORT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A 26-character base32 id (as containers/storage uses) from 16 random bytes. */
export function shortIdFrom(random: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += SHORT_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0 && out.length < 26) out += SHORT_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Accepts `<64 hex>` or `sha256:<64 hex>`; returns the hex. */
export function normaliseId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice(7) : id;
  return /^[0-9a-f]{64}$/.test(hex) ? hex : '';
}
