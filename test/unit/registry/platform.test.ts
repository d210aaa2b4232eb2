import { describe, expect, it } from 'vitest';
import type { IndexEntry, ManifestIndex } from '../../../src/image/manifest.js';
import {
  compatibleVariants,
  formatPlatform,
  hostPlatform,
  normalizePlatform,
  parsePlatform,
  selectManifest,
} from '../../../src/image/platform.js';
import { BerthError } from '../../../src/util/errors.js';

function index(
  ...platforms: Array<{ os: string; architecture: string; variant?: string } | undefined>
): ManifestIndex {
  return {
    kind: 'index',
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: platforms.map(
      (platform, i): IndexEntry => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${String(i).repeat(64)}`,
        size: 100 + i,
        ...(platform && { platform }),
      }),
    ),
  };
}

describe('platforms', () => {
  it('maps the host to Go names', () => {
    const host = hostPlatform();
    expect(host.os).toBe('linux');
    const expected: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };
    expect(host.architecture).toBe(expected[process.arch] ?? host.architecture);
  });

  it('parses os/arch[/variant] and normalizes like containerd', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64', variant: '' });
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: '' });
    expect(parsePlatform('linux/arm')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(parsePlatform('Linux/ARM/6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(parsePlatform('linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64', variant: '' });
    expect(parsePlatform('linux/aarch64')).toEqual({ os: 'linux', architecture: 'arm64', variant: '' });
    expect(parsePlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: '' });
    expect(parsePlatform('linux')).toEqual(hostPlatform());
    expect(formatPlatform(parsePlatform('linux/arm/v7'))).toBe('linux/arm/v7');
    expect(normalizePlatform({ os: 'linux', architecture: 'armhf' })).toEqual({
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
    });
  });

  it('rejects bad platform strings', () => {
    for (const bad of ['', 'linux/', '/amd64', 'linux/amd64/v8/x', 'linux/am d64', 'plan10/amd64']) {
      expect(() => parsePlatform(bad), bad).toThrow(BerthError);
    }
  });

  it('lists compatible variants best first', () => {
    expect(compatibleVariants(parsePlatform('linux/arm/v7'))).toEqual(['v7', 'v6', 'v5', '']);
    expect(compatibleVariants(parsePlatform('linux/amd64/v3'))).toEqual(['v3', 'v2', '']);
    expect(compatibleVariants(parsePlatform('linux/arm64'))).toEqual(['']);
  });

  it('selects exact os/arch, never a platform-less entry', () => {
    const idx = index(
      undefined,
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'amd64' },
    );
    expect(selectManifest(idx, parsePlatform('linux/amd64')).size).toBe(102);
    // arm64's default variant v8 matches a request without a variant and vice versa.
    expect(selectManifest(idx, parsePlatform('linux/arm64')).size).toBe(101);
    expect(selectManifest(idx, parsePlatform('linux/arm64/v8')).size).toBe(101);
  });

  it('prefers the exact variant, then older compatible ones', () => {
    const idx = index(
      { os: 'linux', architecture: 'arm', variant: 'v5' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    );
    expect(selectManifest(idx, parsePlatform('linux/arm/v7')).size).toBe(102);
    expect(selectManifest(idx, parsePlatform('linux/arm/v6')).size).toBe(101);
    const amd = index(
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
      { os: 'linux', architecture: 'amd64' },
    );
    expect(selectManifest(amd, parsePlatform('linux/amd64')).size).toBe(101);
    expect(selectManifest(amd, parsePlatform('linux/amd64/v3')).size).toBe(100);
    expect(selectManifest(amd, parsePlatform('linux/amd64/v2')).size).toBe(101);
  });

  it('fails like Podman when nothing matches', () => {
    const idx = index(
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'windows', architecture: 'amd64' },
    );
    expect(() => selectManifest(idx, parsePlatform('linux/amd64'))).toThrow(
      'no image found in manifest list for architecture "amd64", variant "", OS "linux"',
    );
    // An arm/v6 host cannot run v7.
    expect(() => selectManifest(idx, parsePlatform('linux/arm/v6'))).toThrow(/variant "v6"/);
  });
});
