import { describe, expect, it } from 'vitest';
import {
  familiarName,
  formatReference,
  isShortName,
  isValidDigest,
  isValidTag,
  looksLikeImageId,
  normalize,
  parseNormalized,
  parseReference,
  registryApiHost,
} from '../../../src/image/reference.js';
import { BerthError } from '../../../src/util/errors.js';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

describe('parseNormalized (docker pull semantics)', () => {
  const table: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['user/repo', 'docker.io/user/repo:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['registry-1.docker.io/user/x:1', 'docker.io/user/x:1'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['localhost/x', 'localhost/x:latest'],
    ['localhost:5000/x/y:tag', 'localhost:5000/x/y:tag'],
    ['127.0.0.1:5000/a', '127.0.0.1:5000/a:latest'],
    ['quay.io/podman/hello', 'quay.io/podman/hello:latest'],
    ['[::1]:5000/foo:bar', '[::1]:5000/foo:bar'],
    [`repo@${DIGEST}`, `docker.io/library/repo@${DIGEST}`],
    [`repo:tag@${DIGEST}`, `docker.io/library/repo:tag@${DIGEST}`],
    ['a/b/c/d', 'docker.io/a/b/c/d:latest'],
    ['foo_bar/baz__qux.x-y--z', 'docker.io/foo_bar/baz__qux.x-y--z:latest'],
    ['busybox:Latest_1.0-rc', 'docker.io/library/busybox:Latest_1.0-rc'],
    // An uppercase first component is a hostname to Docker, not a repository.
    ['Example/repo', 'Example/repo:latest'],
  ];
  it.each(table)('%s -> %s', (input, want) => {
    expect(formatReference(parseNormalized(input))).toBe(want);
  });
});

describe('parseReference keeps what the user wrote', () => {
  it('leaves short names unqualified and untagged', () => {
    expect(parseReference('busybox')).toEqual({ registry: '', repository: 'busybox' });
    expect(parseReference('user/repo:1')).toEqual({ registry: '', repository: 'user/repo', tag: '1' });
  });
  it('splits registry, tag and digest', () => {
    expect(parseReference(`host.example:5000/a/b:v1@${DIGEST}`)).toEqual({
      registry: 'host.example:5000',
      repository: 'a/b',
      tag: 'v1',
      digest: DIGEST,
    });
  });
  it('treats host:port alone as repository and tag, as Docker does', () => {
    expect(parseReference('localhost:5000')).toEqual({ registry: '', repository: 'localhost', tag: '5000' });
  });
  it('isShortName', () => {
    expect(isShortName('busybox')).toBe(true);
    expect(isShortName('user/repo:tag')).toBe(true);
    expect(isShortName('docker.io/busybox')).toBe(false);
    expect(isShortName('localhost/busybox')).toBe(false);
    expect(isShortName('myhost:5000/busybox')).toBe(false);
  });
});

describe('invalid references', () => {
  const table: [string, RegExp][] = [
    ['', /at least one component/],
    ['Busybox', /repository name must be lowercase/],
    ['docker.io/User/repo', /repository name must be lowercase/],
    ['busybox:', /invalid tag/],
    ['busybox:-x', /invalid tag/],
    [`busybox:${'a'.repeat(129)}`, /invalid tag/],
    ['busybox@sha256:abc', /invalid digest length/],
    [`busybox@sha256:${'A'.repeat(64)}`, /lowercase hex/],
    [`busybox@md5:${'a'.repeat(32)}`, /unsupported digest algorithm/],
    [`busybox@sha256:${'a'.repeat(63)}g`, /invalid/],
    ['busybox@', /invalid/],
    [HEX, /cannot specify 64-byte hexadecimal strings/],
    ['a//b', /invalid reference format/],
    ['-bad', /invalid reference format/],
    ['bad-/x', /invalid reference format/],
    ['a b', /invalid reference format/],
    ['host:port/x', /invalid reference format/],
    [`a/${'b'.repeat(250)}`, /not be more than 255/],
    [`${'b'.repeat(240)}`, /not be more than 255/],
  ];
  it.each(table)('%j', (input, want) => {
    let err: unknown;
    try {
      parseReference(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).exitCode).toBe(125);
    expect((err as BerthError).message).toMatch(want);
  });
  it('accepts a name of exactly 255 characters', () => {
    const name = `x.io/${'b'.repeat(250)}`;
    expect(name).toHaveLength(255);
    expect(parseReference(name).repository).toHaveLength(250);
  });
});

describe('normalize and familiar names', () => {
  it('adds latest only when there is neither tag nor digest', () => {
    expect(normalize({ registry: '', repository: 'x', digest: DIGEST })).toEqual({
      registry: 'docker.io',
      repository: 'library/x',
      digest: DIGEST,
    });
  });
  it('prints Docker Hub names the way docker does', () => {
    expect(familiarName(parseNormalized('busybox'))).toBe('busybox:latest');
    expect(familiarName(parseNormalized('user/repo:1'))).toBe('user/repo:1');
    expect(familiarName(parseNormalized('docker.io/library/a/b'))).toBe('library/a/b:latest');
    expect(familiarName(parseNormalized('localhost:5000/x'))).toBe('localhost:5000/x:latest');
    expect(familiarName(parseNormalized(`busybox@${DIGEST}`))).toBe(`busybox@${DIGEST}`);
  });
  it('maps docker.io to the registry API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('quay.io')).toBe('quay.io');
  });
});

describe('validators', () => {
  it('isValidTag', () => {
    expect(isValidTag('latest')).toBe(true);
    expect(isValidTag('_x.Y-1')).toBe(true);
    expect(isValidTag('.x')).toBe(false);
    expect(isValidTag('a'.repeat(128))).toBe(true);
    expect(isValidTag('a'.repeat(129))).toBe(false);
  });
  it('isValidDigest', () => {
    expect(isValidDigest(DIGEST)).toBe(true);
    expect(isValidDigest(`sha512:${'0'.repeat(128)}`)).toBe(true);
    expect(isValidDigest(`sha512:${'0'.repeat(64)}`)).toBe(false);
    expect(isValidDigest(HEX)).toBe(false);
    expect(isValidDigest(`sha256:${HEX.toUpperCase()}`)).toBe(false);
  });
  it('looksLikeImageId', () => {
    expect(looksLikeImageId('abc123')).toBe(true);
    expect(looksLikeImageId(HEX)).toBe(true);
    expect(looksLikeImageId(`sha256:${HEX}`)).toBe(true);
    expect(looksLikeImageId('sha256:ab')).toBe(true);
    expect(looksLikeImageId(`${HEX}0`)).toBe(false);
    expect(looksLikeImageId('busybox')).toBe(false);
    expect(looksLikeImageId('ABC')).toBe(false);
  });
});
