import { closeSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openDirInScope,
  parseCpArg,
  pathShape,
  planCopy,
  resolveInScope,
} from '../../../src/engine/containers/cp.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-cp-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('parseCpArg', () => {
  it('splits CONTAINER:PATH and leaves host paths alone', () => {
    expect(parseCpArg('ctr:/etc/passwd')).toEqual({ container: 'ctr', path: '/etc/passwd' });
    expect(parseCpArg('ctr:rel')).toEqual({ container: 'ctr', path: 'rel' });
    expect(parseCpArg('/abs/with:colon')).toEqual({ path: '/abs/with:colon' });
    expect(parseCpArg('./a:b')).toEqual({ path: './a:b' });
    expect(parseCpArg('plain')).toEqual({ path: 'plain' });
    expect(parseCpArg('-')).toEqual({ path: '-' });
    expect(parseCpArg(':x')).toEqual({ path: ':x' });
  });
});

describe('pathShape', () => {
  it('sees /. (contents) and a trailing slash (must be a directory)', () => {
    expect(pathShape('/a/b/.')).toEqual({ path: '/a/b', contentsOnly: true, trailingSlash: true });
    expect(pathShape('/a/b/')).toEqual({ path: '/a/b', contentsOnly: false, trailingSlash: true });
    expect(pathShape('/a/b')).toEqual({ path: '/a/b', contentsOnly: false, trailingSlash: false });
    expect(pathShape('/')).toEqual({ path: '/', contentsOnly: false, trailingSlash: true });
    expect(pathShape('.')).toEqual({ path: '.', contentsOnly: true, trailingSlash: true });
  });
});

describe('planCopy (Docker rules)', () => {
  const file = { kind: 'file' as const, name: 'f.txt', contentsOnly: false };
  const dir = { kind: 'dir' as const, name: 'd', contentsOnly: false };
  it('file onto a missing path becomes it; onto a directory goes in; onto a file replaces it', () => {
    expect(
      planCopy(file, { path: '/x/new', kind: 'missing', trailingSlash: false, parentIsDir: true }),
    ).toEqual({ extractDir: '/x', name: 'new' });
    expect(planCopy(file, { path: '/x', kind: 'dir', trailingSlash: false, parentIsDir: true })).toEqual({
      extractDir: '/x',
      name: 'f.txt',
    });
    expect(planCopy(file, { path: '/x/old', kind: 'file', trailingSlash: false, parentIsDir: true })).toEqual(
      { extractDir: '/x', name: 'old' },
    );
  });
  it('directory onto a missing path becomes it; onto a directory goes in, or only its contents with /.', () => {
    expect(
      planCopy(dir, { path: '/x/new', kind: 'missing', trailingSlash: false, parentIsDir: true }),
    ).toEqual({ extractDir: '/x', name: 'new' });
    expect(planCopy(dir, { path: '/x', kind: 'dir', trailingSlash: false, parentIsDir: true })).toEqual({
      extractDir: '/x',
      name: 'd',
    });
    expect(
      planCopy(
        { ...dir, contentsOnly: true },
        { path: '/x', kind: 'dir', trailingSlash: true, parentIsDir: true },
      ),
    ).toEqual({ extractDir: '/x', name: '' });
  });
  it('refuses what Docker refuses', () => {
    expect(() =>
      planCopy(dir, { path: '/x/f', kind: 'file', trailingSlash: false, parentIsDir: true }),
    ).toThrow(/cannot copy a directory to the file/);
    expect(() =>
      planCopy(file, { path: '/x/new/', kind: 'missing', trailingSlash: true, parentIsDir: true }),
    ).toThrow(/must exist/);
    expect(() =>
      planCopy(file, { path: '/no/parent', kind: 'missing', trailingSlash: false, parentIsDir: false }),
    ).toThrow(/parent directory/);
    expect(() =>
      planCopy(file, { path: '/x/f', kind: 'file', trailingSlash: true, parentIsDir: true }),
    ).toThrow(/not a directory/);
  });
});

describe('resolveInScope', () => {
  beforeEach(() => {
    mkdirSync(join(root, 'etc'));
    mkdirSync(join(root, 'a/b'), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'x');
    symlinkSync('/', join(root, 'toroot'));
    symlinkSync('../../../../..', join(root, 'a/b/up'));
    symlinkSync('/etc', join(root, 'a/etc'));
    symlinkSync('b', join(root, 'a/rel'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
    symlinkSync('/etc/passwd', join(root, 'pw'));
  });

  it('keeps absolute links and .. inside the root', () => {
    expect(resolveInScope(root, '/toroot/etc/passwd')).toBe('/etc/passwd');
    expect(resolveInScope(root, '/a/b/up/etc')).toBe('/etc');
    expect(resolveInScope(root, '/../../../etc')).toBe('/etc');
    expect(resolveInScope(root, '/a/etc/passwd')).toBe('/etc/passwd');
    expect(resolveInScope(root, 'a/rel/x')).toBe('/a/b/x');
  });

  it('keeps missing components and, when asked, the final link unresolved', () => {
    expect(resolveInScope(root, '/toroot/new/dir')).toBe('/new/dir');
    expect(resolveInScope(root, '/pw')).toBe('/etc/passwd');
    expect(resolveInScope(root, '/pw', false)).toBe('/pw');
    expect(resolveInScope(root, '/toroot/pw', false)).toBe('/pw');
  });

  it('gives up on link loops', () => {
    expect(() => resolveInScope(root, '/loop1/x')).toThrow(/too many levels/);
  });
});

describe('openDirInScope', () => {
  it('opens a real directory and refuses one that is a symlink now', () => {
    mkdirSync(join(root, 'a/b'), { recursive: true });
    const fd = openDirInScope(root, '/a/b');
    expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe(join(root, 'a/b'));
    closeSync(fd);
    symlinkSync('/', join(root, 'evil'));
    expect(() => openDirInScope(root, '/evil')).toThrow(/not a directory/);
    rmSync(join(root, 'a/b'), { recursive: true });
    symlinkSync('/tmp', join(root, 'a/b'));
    expect(() => openDirInScope(root, '/a/b')).toThrow(/not a directory/);
  });
});
