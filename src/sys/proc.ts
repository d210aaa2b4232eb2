import { readFileSync } from 'node:fs';

/**
 * Is `pid` a live process (named `comm`, when given)? A zombie is not: berth's detached
 * helpers (monitors, slirp4netns) are reaped by whatever init the host has, which may take its
 * time, and a zombie keeps its name until then.
 */
export function processRunning(pid: number, comm?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const state = stat.slice(close + 2, close + 3);
  if (state === 'Z' || state === 'X' || state === 'x') return false;
  return comm === undefined || stat.slice(open + 1, close) === comm;
}
