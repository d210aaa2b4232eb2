import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  S_IFIFO,
  lgetxattr,
  llistxattr,
  lremovexattr,
  lsetxattr,
  makedev,
  mknod,
} from '../../../src/sys/libc.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-libc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('libc', () => {
  it('makedev matches the kernel encoding', () => {
    expect(makedev(1, 3)).toBe(259n);
    expect(makedev(0, 0)).toBe(0n);
    expect(makedev(259, 65536)).toBe(0x10010300n); // minor's high bits go above major's
  });

  it('sets, lists, reads and removes xattrs on the link itself', () => {
    const f = join(dir, 'f');
    writeFileSync(f, '');
    const value = Buffer.from([0, 1, 0x80, 0xff]);
    lsetxattr(f, 'user.berth', value);
    expect(lgetxattr(f, 'user.berth')).toEqual(value);
    expect(llistxattr(f)).toContain('user.berth');
    expect(lgetxattr(f, 'user.absent')).toBeUndefined();
    lremovexattr(f, 'user.berth');
    expect(llistxattr(f)).not.toContain('user.berth');
    symlinkSync(f, join(dir, 'l'));
    // user.* xattrs are not allowed on symlinks: proves we did not follow the link to f.
    expect(() => lsetxattr(join(dir, 'l'), 'user.berth', 'x')).toThrow(
      expect.objectContaining({ code: 'EPERM' }),
    );
  });

  it('mknod makes fifos and reports errors with errno codes', () => {
    const p = join(dir, 'fifo');
    mknod(p, S_IFIFO | 0o640);
    expect(statSync(p).isFIFO()).toBe(true);
    expect(() => mknod(p, S_IFIFO | 0o640)).toThrow(
      expect.objectContaining({ code: 'EEXIST', syscall: 'mknod', path: p }),
    );
  });
});
