import { describe, expect, it } from 'vitest';
import {
  ACCEPT,
  detectMediaType,
  layerCompression,
  MediaType,
  parseManifest,
} from '../../../src/image/manifest.js';
import { BerthError } from '../../../src/util/errors.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;

const dockerManifest = {
  schemaVersion: 2,
  mediaType: MediaType.DockerManifest,
  config: { mediaType: MediaType.DockerConfig, size: 1469, digest: d('a') },
  layers: [{ mediaType: MediaType.DockerLayerGzip, size: 2479, digest: d('b') }],
};

const ociIndex = {
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [
    {
      mediaType: MediaType.OciManifest,
      size: 500,
      digest: d('c'),
      platform: { os: 'linux', architecture: 'amd64' },
    },
    {
      mediaType: MediaType.OciManifest,
      size: 501,
      digest: d('e'),
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    },
  ],
};

function thrown(fn: () => unknown): BerthError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BerthError);
    return e as BerthError;
  }
  throw new Error('did not throw');
}

describe('parseManifest', () => {
  it('parses a Docker schema2 manifest', () => {
    const m = parseManifest(Buffer.from(JSON.stringify(dockerManifest)), MediaType.DockerManifest);
    expect(m).toEqual({
      kind: 'image',
      mediaType: MediaType.DockerManifest,
      config: dockerManifest.config,
      layers: [{ ...dockerManifest.layers[0], compression: 'gzip' }],
    });
  });

  it('parses an OCI index with platforms', () => {
    const m = parseManifest(JSON.stringify(ociIndex), `${MediaType.OciIndex}; charset=utf-8`);
    expect(m.kind).toBe('index');
    if (m.kind !== 'index') return;
    expect(m.manifests).toHaveLength(2);
    expect(m.manifests[0].platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(m.manifests[1].annotations).toEqual({ 'vnd.docker.reference.type': 'attestation-manifest' });
  });

  it('sniffs the type when Content-Type is missing or generic', () => {
    const { mediaType: _drop, ...noType } = dockerManifest;
    // No mediaType field and a Docker config type: Docker schema2 by shape.
    expect(parseManifest(JSON.stringify(noType), 'application/json').mediaType).toBe(
      MediaType.DockerManifest,
    );
    const oci = { ...noType, config: { ...noType.config, mediaType: MediaType.OciConfig } };
    expect(parseManifest(JSON.stringify(oci)).mediaType).toBe(MediaType.OciManifest);
    const { mediaType: _i, ...indexNoType } = ociIndex;
    expect(parseManifest(JSON.stringify(indexNoType), 'text/plain').kind).toBe('index');
    // The JSON's own mediaType wins over a wrong header.
    expect(parseManifest(JSON.stringify(ociIndex), MediaType.DockerManifest).mediaType).toBe(
      MediaType.OciIndex,
    );
  });

  it('refuses schema1 clearly', () => {
    const e = thrown(() =>
      parseManifest(JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] })),
    );
    expect(e.message).toMatch(/schema 1 is deprecated and not supported/);
    expect(thrown(() => parseManifest('{"schemaVersion":2}', MediaType.DockerSchema1Signed)).code).toBe(
      'unsupported',
    );
  });

  it('refuses foreign and unknown layers', () => {
    const foreign = {
      ...dockerManifest,
      layers: [{ mediaType: MediaType.DockerLayerForeign, size: 1, digest: d('f') }],
    };
    expect(thrown(() => parseManifest(JSON.stringify(foreign))).message).toMatch(
      /foreign \(non-distributable\)/,
    );
    const helm = {
      ...dockerManifest,
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart', size: 1, digest: d('f') }],
    };
    expect(thrown(() => parseManifest(JSON.stringify(helm))).message).toMatch(/unknown layer media type/);
  });

  it('validates descriptors', () => {
    const badDigest = { ...dockerManifest, config: { ...dockerManifest.config, digest: 'sha256:xyz' } };
    expect(thrown(() => parseManifest(JSON.stringify(badDigest))).message).toMatch(
      /config has an invalid digest/,
    );
    const badSize = { ...dockerManifest, layers: [{ ...dockerManifest.layers[0], size: -1 }] };
    expect(thrown(() => parseManifest(JSON.stringify(badSize))).message).toMatch(
      /layers\[0\] has an invalid size/,
    );
    expect(thrown(() => parseManifest('not json')).message).toMatch(/^invalid manifest: not JSON/);
    expect(
      thrown(() => parseManifest('{"schemaVersion":2,"mediaType":"application/x-foo"}')).message,
    ).toMatch(/unsupported manifest type/);
    const noPlatformArch = {
      ...ociIndex,
      manifests: [{ ...ociIndex.manifests[0], platform: { os: 'linux' } }],
    };
    expect(thrown(() => parseManifest(JSON.stringify(noPlatformArch))).message).toMatch(
      /os and architecture/,
    );
  });

  it('maps layer media types to compressions', () => {
    expect(layerCompression(MediaType.OciLayerZstd)).toBe('zstd');
    expect(layerCompression(MediaType.OciLayer)).toBe('none');
    expect(layerCompression(MediaType.OciLayerGzip)).toBe('gzip');
    expect(() => layerCompression(MediaType.OciLayerNondistributableGzip)).toThrow(BerthError);
  });

  it('detects types and accepts both formats', () => {
    expect(detectMediaType({ schemaVersion: 2, manifests: [] })).toBe(MediaType.OciIndex);
    expect(detectMediaType({}, MediaType.DockerManifestList)).toBe(MediaType.DockerManifestList);
    expect(ACCEPT).toEqual(
      expect.arrayContaining([
        MediaType.OciIndex,
        MediaType.DockerManifestList,
        MediaType.OciManifest,
        MediaType.DockerManifest,
      ]),
    );
  });
});
