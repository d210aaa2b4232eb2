import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountpointLeftovers, upperChanges } from '../../../src/engine/containers/diff.js';
import { S_IFCHR, lsetxattr, mknod } from '../../../src/sys/libc.js';

const isRoot = process.getuid?.() === 0;
let dir: string;
let lower: string;
let upper: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-diff-'));
  lower = join(dir, 'lower');
  upper = join(dir, 'upper');
  for (const d of ['etc', 'usr/bin', 'opt/old']) mkdirSync(join(lower, d), { recursive: true });
  writeFileSync(join(lower, 'etc/passwd'), 'root');
  writeFileSync(join(lower, 'etc/group'), 'root');
  writeFileSync(join(lower, 'opt/old/a'), 'a');
  writeFileSync(join(lower, 'opt/old/b'), 'b');
  mkdirSync(upper);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fmt = (cs: { kind: string; path: string }[]) => cs.map((c) => `${c.kind} ${c.path}`);

describe('upperChanges', () => {
  it('reports added and changed entries, parents first, in byte order', () => {
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc/passwd'), 'root\nnew');
    writeFileSync(join(upper, 'etc/Zfile'), 'z');
    mkdirSync(join(upper, 'new/deep'), { recursive: true });
    writeFileSync(join(upper, 'new/deep/f'), 'f');
    expect(fmt(upperChanges(upper, [lower]))).toEqual([
      'C /etc',
      'A /etc/Zfile',
      'C /etc/passwd',
      'A /new',
      'A /new/deep',
      'A /new/deep/f',
    ]);
  });

  it('leaves out a copied-up directory whose mode and time did not change, but names it as a parent', () => {
    mkdirSync(join(upper, 'usr/bin'), { recursive: true });
    writeFileSync(join(upper, 'usr/bin/tool'), 't');
    for (const d of ['usr', 'usr/bin']) utimesSync(join(upper, d), 1000, 1000);
    for (const d of ['usr', 'usr/bin']) utimesSync(join(lower, d), 1000, 1000);
    expect(fmt(upperChanges(upper, [lower]))).toEqual(['C /usr/bin', 'A /usr/bin/tool']);
  });

  it('skips excluded paths (the runtime mount points)', () => {
    mkdirSync(join(upper, 'proc'));
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc/hosts'), '');
    writeFileSync(join(upper, 'etc/real'), 'x');
    const leftovers = mountpointLeftovers(upper, [lower], ['/proc', '/etc/hosts', '/etc/passwd', '/sys']);
    expect([...leftovers].sort()).toEqual(['etc/hosts', 'proc']);
    expect(fmt(upperChanges(upper, [lower], leftovers))).toEqual(['C /etc', 'A /etc/real']);
  });

  it.skipIf(!isRoot)('whiteouts are deletions; an opaque directory deletes what the image had in it', () => {
    // The image's directories are older than anything the container touches (as they are in a
    // pulled image): made in the same millisecond, they would compare as unchanged.
    for (const d of ['etc', 'opt', 'opt/old']) utimesSync(join(lower, d), 1000, 1000);
    mkdirSync(join(upper, 'etc'));
    mknod(join(upper, 'etc/group'), S_IFCHR, 0, 0);
    mkdirSync(join(upper, 'opt/old'), { recursive: true });
    lsetxattr(join(upper, 'opt/old'), 'trusted.overlay.opaque', 'y');
    writeFileSync(join(upper, 'opt/old/b'), 'new b');
    expect(fmt(upperChanges(upper, [lower]))).toEqual([
      'C /etc',
      'D /etc/group',
      'C /opt',
      'C /opt/old',
      'D /opt/old/a',
      'C /opt/old/b',
    ]);
  });
});
