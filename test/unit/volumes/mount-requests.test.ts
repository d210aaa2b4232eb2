import { describe, expect, it } from 'vitest';
import {
  bindOptions,
  imageVolumesToCreate,
  parseByteSize,
  parseMountFlag,
  parseMountRequests,
  parseVolumeFlag,
  parseVolumeMode,
  parseVolumesFrom,
  validateVolumeName,
} from '../../../src/spec/mount-requests.js';
import { BerthError } from '../../../src/util/errors.js';

function err(fn: () => unknown): BerthError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BerthError);
    return e as BerthError;
  }
  throw new Error('expected an error');
}

describe('-v', () => {
  it('an absolute source is a bind that -v creates when missing', () => {
    expect(parseVolumeFlag('/host/dir/:/ctr//path')).toEqual({
      kind: 'bind',
      source: '/host/dir',
      destination: '/ctr/path',
      readOnly: false,
      propagation: undefined,
      createSource: true,
      chown: false,
      relabel: undefined,
    });
  });

  it('modes: ro/rw, z/Z, propagation, U, combined', () => {
    const b = parseVolumeFlag('/h:/c:ro,Z,rshared,U');
    expect(b).toMatchObject({
      kind: 'bind',
      readOnly: true,
      relabel: 'Z',
      propagation: 'rshared',
      chown: true,
    });
    expect(parseVolumeFlag('/h:/c:rw')).toMatchObject({ readOnly: false });
    expect(parseVolumeFlag('data:/c:ro,nocopy')).toMatchObject({
      kind: 'volume',
      readOnly: true,
      noCopy: true,
    });
  });

  it('a relative source with valid name characters is a named volume', () => {
    expect(parseVolumeFlag('my_vol.1:/data')).toEqual({
      kind: 'volume',
      name: 'my_vol.1',
      destination: '/data',
      readOnly: false,
      noCopy: false,
      chown: false,
      relabel: undefined,
    });
  });

  it('a lone path is an anonymous volume', () => {
    expect(parseVolumeFlag('/data')).toMatchObject({ kind: 'volume', name: undefined, destination: '/data' });
  });

  it("Docker's errors", () => {
    expect(err(() => parseVolumeFlag('rel/dir:/x')).message).toMatch(
      /"rel\/dir" includes invalid characters for a local volume name/,
    );
    expect(err(() => parseVolumeFlag('./dir:/x')).message).toMatch(/invalid characters/);
    expect(err(() => parseVolumeFlag('data')).message).toMatch(
      /invalid mount path: 'data' mount path must be absolute/,
    );
    expect(err(() => parseVolumeFlag('/h:rel')).message).toMatch(/mount path must be absolute/);
    // Destination plus mode is not a volume.
    expect(err(() => parseVolumeFlag('/foo:rw')).message).toBe("invalid volume specification: '/foo:rw'");
    expect(err(() => parseVolumeFlag('/a:/b:/c:ro')).message).toMatch(/invalid volume specification/);
    expect(err(() => parseVolumeFlag(':/x')).message).toMatch(/invalid volume specification/);
    expect(err(() => parseVolumeFlag('/h:/c:rw,ro')).message).toBe('invalid mode: rw,ro');
    expect(err(() => parseVolumeFlag('/h:/c:bogus')).message).toBe('invalid mode: bogus');
    expect(err(() => parseVolumeFlag('/h:/')).message).toMatch(/destination can't be '\/'/);
    expect(err(() => parseVolumeFlag('/h:/c:nocopy')).message).toMatch(/nocopy applies to volumes only/);
    expect(err(() => parseVolumeFlag('v1:/c:shared')).message).toMatch(
      /propagation applies to bind mounts only/,
    );
    expect(err(() => parseVolumeFlag('x:/c')).message).toMatch(/at least two characters/);
  });

  it('parseVolumeMode rejects two of a kind', () => {
    expect(parseVolumeMode('z,Z')).toBeUndefined();
    expect(parseVolumeMode('shared,private')).toBeUndefined();
    expect(parseVolumeMode('')).toEqual({ readOnly: false, chown: false });
  });
});

describe('--mount', () => {
  it('type=bind with Docker key aliases', () => {
    expect(parseMountFlag('type=bind,src=/h,dst=/c,readonly,bind-propagation=rslave')).toEqual({
      kind: 'bind',
      source: '/h',
      destination: '/c',
      readOnly: true,
      propagation: 'rslave',
      createSource: false,
      chown: false,
      relabel: undefined,
      nonRecursive: undefined,
    });
    expect(parseMountFlag('type=bind,source=/h,target=/c,ro=false')).toMatchObject({ readOnly: false });
    expect(parseMountFlag('type=bind,source=/h,destination=/c,ro=1')).toMatchObject({ readOnly: true });
  });

  it('volume is the default type; no source means anonymous; labels and options kept', () => {
    expect(parseMountFlag('target=/c')).toMatchObject({ kind: 'volume', name: undefined, destination: '/c' });
    expect(
      parseMountFlag('type=volume,source=vol,target=/c,volume-nocopy,volume-label=a=b,volume-opt=type=none'),
    ).toEqual({
      kind: 'volume',
      name: 'vol',
      destination: '/c',
      readOnly: false,
      noCopy: true,
      chown: false,
      relabel: undefined,
      labels: { a: 'b' },
      options: { type: 'none' },
    });
  });

  it('tmpfs size and mode become mount options', () => {
    expect(parseMountFlag('type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770')).toEqual({
      kind: 'tmpfs',
      destination: '/t',
      readOnly: false,
      options: [`size=${64 * 1024 * 1024}`, 'mode=1770'],
    });
    expect(parseMountFlag('type=tmpfs,dst=/t,ro')).toMatchObject({ options: ['ro'] });
  });

  it('quoted CSV fields may hold commas', () => {
    expect(parseMountFlag('type=bind,"src=/a,b",dst=/c')).toMatchObject({ source: '/a,b' });
  });

  it("Docker's errors", () => {
    expect(err(() => parseMountFlag('type=bind,target=/c')).message).toMatch(
      /field Source must not be empty/,
    );
    expect(err(() => parseMountFlag('type=bind,source=rel,target=/c')).message).toMatch(
      /mount path must be absolute/,
    );
    expect(err(() => parseMountFlag('type=tmpfs,source=x,target=/c')).message).toMatch(
      /Source must not be specified/,
    );
    expect(err(() => parseMountFlag('type=volume,source=v1')).message).toMatch(
      /field Target must not be empty/,
    );
    expect(err(() => parseMountFlag('type=nfs,target=/c')).message).toMatch(/invalid mount type "nfs"/);
    expect(err(() => parseMountFlag('type=bind,src=/h,dst=/c,foo=bar')).message).toBe(
      "unexpected key 'foo' in 'foo=bar'",
    );
    expect(err(() => parseMountFlag('type=bind,src')).message).toBe(
      "invalid field 'src' must be a key=value pair",
    );
    expect(err(() => parseMountFlag('type=volume,dst=/c,bind-propagation=shared')).message).toMatch(
      /type "volume": field BindOptions must not be specified/,
    );
    expect(err(() => parseMountFlag('type=bind,src=/h,dst=/c,volume-nocopy')).message).toMatch(
      /VolumeOptions/,
    );
    expect(err(() => parseMountFlag('type=volume,dst=/c,tmpfs-size=1m')).message).toMatch(/TmpfsOptions/);
    expect(err(() => parseMountFlag('type=tmpfs,dst=/c,tmpfs-mode=999')).message).toMatch(
      /invalid tmpfs-mode/,
    );
    expect(err(() => parseMountFlag('type=bind,src=/h,dst=/c,readonly=maybe')).message).toMatch(
      /invalid value/,
    );
    expect(err(() => parseMountFlag('type=volume,src=a/b,dst=/c')).message).toMatch(/invalid characters/);
  });
});

describe('the rest', () => {
  it('--volumes-from', () => {
    expect(parseVolumesFrom('web')).toEqual({ container: 'web' });
    expect(parseVolumesFrom('web:ro')).toEqual({ container: 'web', mode: 'ro' });
    expect(parseVolumesFrom('web:rw')).toEqual({ container: 'web', mode: 'rw' });
    expect(err(() => parseVolumesFrom('web:z')).message).toMatch(/invalid mode/);
    expect(err(() => parseVolumesFrom(':ro')).message).toMatch(/want CONTAINER/);
  });

  it('two mounts on one destination are refused', () => {
    expect(err(() => parseMountRequests({ volumes: ['/a:/x', 'v1:/x/'], mounts: [] })).message).toBe(
      'duplicate mount point: /x',
    );
    expect(parseMountRequests({ volumes: ['/a:/x'], mounts: ['type=tmpfs,dst=/y'] })).toHaveLength(2);
  });

  it('image VOLUME paths get volumes only where nothing is mounted', () => {
    expect(
      imageVolumesToCreate(['/data', '/logs/', '/cache', 'relative', '/data'], ['/logs', '/other']),
    ).toEqual(['/data', '/cache']);
    expect(imageVolumesToCreate([], ['/x'])).toEqual([]);
  });

  it('names, sizes, bind options', () => {
    expect(() => validateVolumeName('ab')).not.toThrow();
    expect(() => validateVolumeName('-ab')).toThrow(/invalid characters/);
    expect(() => validateVolumeName('a b')).toThrow(/invalid characters/);
    expect(parseByteSize('10')).toBe(10);
    expect(parseByteSize('1k')).toBe(1024);
    expect(parseByteSize('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(() => parseByteSize('lots')).toThrow(/invalid size/);
    expect(bindOptions({ readOnly: true })).toEqual(['rbind', 'ro', 'rprivate']);
    expect(bindOptions({ readOnly: false, propagation: 'shared', nonRecursive: true })).toEqual([
      'bind',
      'shared',
    ]);
  });
});
