import type { Stats } from 'node:fs';
import { lgetxattr } from '../sys/libc.js';

/**
 * How an overlay upper dir marks deletions: a whiteout is a 0:0 character device, an opaque
 * directory carries an xattr (user.* with userxattr mounts, trusted.* as root, and
 * fuse-overlayfs's own name).
 */
export const OPAQUE_XATTRS = ['user.overlay.opaque', 'trusted.overlay.opaque', 'user.fuseoverlayfs.opaque'];

export function isOverlayWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

export function isOverlayOpaque(path: string): boolean {
  for (const n of OPAQUE_XATTRS) {
    try {
      if (lgetxattr(path, n)?.toString() === 'y') return true;
    } catch {
      // not set, or not readable here
    }
  }
  return false;
}
