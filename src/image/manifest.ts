import { BerthError } from '../util/errors.js';

/**
 * Image manifests and indexes: Docker schema2 and OCI v1.1. Parsing validates the fields
 * berth relies on and refuses what it cannot pull (schema1, foreign layers) with a clear error.
 */

export const MediaType = {
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',

  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',

  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerLayerForeign: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  OciLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  OciLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  OciLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
} as const;

/** What berth asks registries for, preferred first. */
export const ACCEPT: readonly string[] = [
  MediaType.OciIndex,
  MediaType.DockerManifestList,
  MediaType.OciManifest,
  MediaType.DockerManifest,
];

export type Compression = 'gzip' | 'zstd' | 'none';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Layer extends Descriptor {
  compression: Compression;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface IndexEntry extends Descriptor {
  platform?: Platform;
}

export interface ImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  layers: Layer[];
  annotations?: Record<string, string>;
  subject?: Descriptor;
  artifactType?: string;
}

export interface ManifestIndex {
  kind: 'index';
  mediaType: string;
  manifests: IndexEntry[];
  annotations?: Record<string, string>;
  subject?: Descriptor;
}

export type ParsedManifest = ImageManifest | ManifestIndex;

const IMAGE_TYPES = new Set<string>([MediaType.DockerManifest, MediaType.OciManifest]);
const INDEX_TYPES = new Set<string>([MediaType.DockerManifestList, MediaType.OciIndex]);
const SCHEMA1_TYPES = new Set<string>([MediaType.DockerSchema1, MediaType.DockerSchema1Signed]);

export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

export function isImageMediaType(mediaType: string): boolean {
  return IMAGE_TYPES.has(mediaType);
}

function invalid(why: string): BerthError {
  return new BerthError(`invalid manifest: ${why}`, { code: 'invalid-manifest' });
}

function schema1Error(): BerthError {
  return new BerthError(
    'unsupported manifest format: Docker image manifest schema 1 is deprecated and not supported',
    {
      code: 'unsupported',
      hint: 'rebuild and push the image with a current tool to get a schema 2 or OCI manifest',
    },
  );
}

/** A Content-Type header value without parameters, lower-cased. */
function bareType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The manifest's real media type. Registries and files sometimes give none or a generic one
 * (application/json, text/plain); then the JSON's `mediaType` field and shape decide.
 */
export function detectMediaType(json: Record<string, unknown>, contentType?: string): string {
  const header = bareType(contentType);
  const field = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  if (json.schemaVersion === 1 || SCHEMA1_TYPES.has(header) || (field && SCHEMA1_TYPES.has(field))) {
    return MediaType.DockerSchema1;
  }
  if (field && (IMAGE_TYPES.has(field) || INDEX_TYPES.has(field))) return field;
  if (IMAGE_TYPES.has(header) || INDEX_TYPES.has(header)) return header;
  if (Array.isArray(json.manifests)) return MediaType.OciIndex;
  if (json.config !== undefined && Array.isArray(json.layers)) {
    const configType = (json.config as { mediaType?: unknown }).mediaType;
    return configType === MediaType.DockerConfig ? MediaType.DockerManifest : MediaType.OciManifest;
  }
  if (field) return field;
  return header;
}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isValidDigest(digest: unknown): digest is string {
  return typeof digest === 'string' && DIGEST.test(digest);
}

function descriptor(v: unknown, what: string): Descriptor {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${what} is not an object`);
  const d = v as Record<string, unknown>;
  if (typeof d.mediaType !== 'string' || d.mediaType === '') throw invalid(`${what} has no mediaType`);
  if (!isValidDigest(d.digest)) throw invalid(`${what} has an invalid digest ${JSON.stringify(d.digest)}`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalid(`${what} has an invalid size ${JSON.stringify(d.size)}`);
  }
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.annotations !== undefined) out.annotations = stringMap(d.annotations, `${what} annotations`);
  return out;
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${what} is not an object`);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw invalid(`${what}: ${k} is not a string`);
  }
  return v as Record<string, string>;
}

/** How a layer is compressed; refuses layers berth must not or cannot fetch. */
export function layerCompression(mediaType: string, digest = ''): Compression {
  switch (mediaType) {
    case MediaType.DockerLayerGzip:
    case MediaType.OciLayerGzip:
      return 'gzip';
    case MediaType.OciLayerZstd:
    case 'application/vnd.docker.image.rootfs.diff.tar.zstd':
      return 'zstd';
    case MediaType.OciLayer:
    case 'application/vnd.docker.image.rootfs.diff.tar':
      return 'none';
    case MediaType.DockerLayerForeign:
    case MediaType.OciLayerNondistributable:
    case MediaType.OciLayerNondistributableGzip:
    case MediaType.OciLayerNondistributableZstd:
      throw new BerthError(
        `unsupported layer ${digest}: foreign (non-distributable) layers of type ${mediaType} are not supported`,
        { code: 'unsupported', hint: 'such layers come from Windows images, which berth cannot run' },
      );
    default:
      throw new BerthError(`unsupported layer ${digest}: unknown layer media type ${mediaType}`, {
        code: 'unsupported',
        hint: 'this may be an artifact rather than a container image',
      });
  }
}

function platformOf(v: unknown, what: string): Platform | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) throw invalid(`${what} platform is not an object`);
  const p = v as Record<string, unknown>;
  if (typeof p.os !== 'string' || typeof p.architecture !== 'string') {
    throw invalid(`${what} platform needs os and architecture`);
  }
  const out: Platform = { os: p.os, architecture: p.architecture };
  if (typeof p.variant === 'string' && p.variant !== '') out.variant = p.variant;
  if (typeof p['os.version'] === 'string') out['os.version'] = p['os.version'];
  if (Array.isArray(p['os.features'])) out['os.features'] = p['os.features'].map(String);
  return out;
}

/**
 * Parses and validates a manifest or index. `mediaType` is the Content-Type the registry (or
 * the archive) gave, possibly missing or generic.
 */
export function parseManifest(bytes: Buffer | string, mediaType?: string): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (e) {
    throw invalid(`not JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('not a JSON object');
  const m = json as Record<string, unknown>;
  const type = detectMediaType(m, mediaType);
  if (type === MediaType.DockerSchema1) throw schema1Error();
  if (m.schemaVersion !== 2) throw invalid(`unsupported schemaVersion ${JSON.stringify(m.schemaVersion)}`);
  // A body whose own mediaType contradicts its kind is ambiguous; refuse rather than guess.
  if (typeof m.mediaType === 'string' && m.mediaType !== type) {
    throw invalid(`mediaType ${m.mediaType} does not match ${type}`);
  }
  const annotations = m.annotations === undefined ? undefined : stringMap(m.annotations, 'annotations');
  const subject = m.subject === undefined ? undefined : descriptor(m.subject, 'subject');

  if (INDEX_TYPES.has(type)) {
    if (!Array.isArray(m.manifests)) throw invalid('index has no manifests list');
    const manifests = m.manifests.map((e, i): IndexEntry => {
      const d: IndexEntry = descriptor(e, `manifests[${i}]`);
      const platform = platformOf((e as Record<string, unknown>).platform, `manifests[${i}]`);
      if (platform) d.platform = platform;
      return d;
    });
    return {
      kind: 'index',
      mediaType: type,
      manifests,
      ...(annotations && { annotations }),
      ...(subject && { subject }),
    };
  }
  if (IMAGE_TYPES.has(type)) {
    const config = descriptor(m.config, 'config');
    if (!Array.isArray(m.layers)) throw invalid('manifest has no layers list');
    const layers = m.layers.map((l, i): Layer => {
      const d = descriptor(l, `layers[${i}]`);
      return { ...d, compression: layerCompression(d.mediaType, d.digest) };
    });
    const out: ImageManifest = { kind: 'image', mediaType: type, config, layers };
    if (annotations) out.annotations = annotations;
    if (subject) out.subject = subject;
    if (typeof m.artifactType === 'string') out.artifactType = m.artifactType;
    return out;
  }
  throw new BerthError(`unsupported manifest type ${type || '(none)'}`, {
    code: 'unsupported',
    hint: 'berth understands Docker schema 2 and OCI image manifests and indexes',
  });
}
