import { type BuiltImage, type BuiltManifest, isIndex } from './images.js';
import type { Blob } from './oci.js';

/** A registry on loopback, spoken to over plain HTTP with node's fetch. */
export interface RegistryTarget {
  /** host:port */
  addr: string;
  auth?: { username: string; password: string };
}

function headers(target: RegistryTarget, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  if (target.auth) {
    const token = Buffer.from(`${target.auth.username}:${target.auth.password}`).toString('base64');
    h.authorization = `Basic ${token}`;
  }
  return h;
}

async function expectStatus(res: Response, ok: number[], what: string): Promise<void> {
  if (ok.includes(res.status)) return;
  const body = await res.text().catch(() => '');
  throw new Error(`${what}: HTTP ${res.status} ${body.slice(0, 500)}`);
}

/** Monolithic upload: POST to start a session, then PUT the whole blob with ?digest=. */
export async function pushBlob(target: RegistryTarget, repository: string, blob: Blob): Promise<void> {
  const base = `http://${target.addr}/v2/${repository}/blobs`;
  const head = await fetch(`${base}/${blob.digest}`, { method: 'HEAD', headers: headers(target) });
  if (head.status === 200) return;
  const start = await fetch(`${base}/uploads/`, { method: 'POST', headers: headers(target) });
  await expectStatus(start, [202], `starting upload of ${blob.digest} to ${repository}`);
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (!location) throw new Error(`upload of ${blob.digest} to ${repository}: no Location header`);
  const url = new URL(location, `http://${target.addr}`);
  url.searchParams.set('digest', blob.digest);
  const put = await fetch(url, {
    method: 'PUT',
    headers: headers(target, {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
    }),
    body: blob.data,
  });
  await expectStatus(put, [201], `uploading ${blob.digest} to ${repository}`);
  await put.body?.cancel();
}

/** PUT a manifest under a tag or a digest; returns the digest the registry reports. */
export async function pushManifest(
  target: RegistryTarget,
  repository: string,
  reference: string,
  mediaType: string,
  manifest: Buffer,
): Promise<string> {
  const res = await fetch(`http://${target.addr}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: headers(target, { 'content-type': mediaType }),
    body: manifest,
  });
  await expectStatus(res, [201], `pushing manifest ${repository}:${reference}`);
  await res.body?.cancel();
  return res.headers.get('docker-content-digest') ?? '';
}

async function pushSingle(target: RegistryTarget, repository: string, reference: string, img: BuiltManifest) {
  for (const blob of [...img.layers, img.config]) await pushBlob(target, repository, blob);
  const digest = await pushManifest(target, repository, reference, img.mediaType, img.manifest);
  if (digest !== img.digest) throw new Error(`registry digest ${digest} != built digest ${img.digest}`);
}

/** Push an image (and, for an index, every platform's image by digest first) under a tag. */
export async function pushImage(
  target: RegistryTarget,
  repository: string,
  tag: string,
  img: BuiltImage,
): Promise<void> {
  if (!isIndex(img)) {
    await pushSingle(target, repository, tag, img);
    return;
  }
  for (const child of img.children) await pushSingle(target, repository, child.image.digest, child.image);
  const digest = await pushManifest(target, repository, tag, img.mediaType, img.manifest);
  if (digest !== img.digest) throw new Error(`registry digest ${digest} != built digest ${img.digest}`);
}
