import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../util/errors.js';
import { LOCK_EX, LOCK_SH, LOCK_UN, flock, tryFlock } from './libc.js';

/**
 * flock(2) locks on lock files. The kernel drops a flock when its holder dies, so a crashed
 * berth never leaves a store locked. We poll with LOCK_NB and a short backoff instead of a
 * blocking flock: a blocking call would freeze Node's event loop with no way out.
 *
 * A lock file also holds a "last write" token: every writer stores a fresh one before it
 * unlocks, so a reader that kept an index from an earlier visit reloads it only when the token
 * changed (as containers/storage does).
 */

export type LockMode = 'shared' | 'exclusive';

export interface LockOptions {
  /** Give up after this many milliseconds (BerthError code 'lock-timeout'); default: wait forever. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Lock {
  readonly path: string;
  readonly fd: number;
  readonly mode: LockMode;
  /** The token the last writer left in the lock file ('' when none yet). */
  readToken(): string;
  /** Stores a fresh token (call under an exclusive lock, after changing what the lock guards). */
  writeToken(): string;
  release(): void;
}

const TOKEN_LEN = 32;

function openLockFile(path: string): number {
  // O_CLOEXEC is Node's default; O_NOFOLLOW: a lock file is never a symlink we should follow.
  return openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
}

function makeLock(path: string, fd: number, mode: LockMode): Lock {
  let released = false;
  return {
    path,
    fd,
    mode,
    readToken() {
      const buf = Buffer.alloc(TOKEN_LEN);
      const n = readSync(fd, buf, 0, TOKEN_LEN, 0);
      return buf.subarray(0, n).toString('latin1');
    },
    writeToken() {
      const token = randomBytes(TOKEN_LEN / 2).toString('hex');
      writeSync(fd, token, 0, 'latin1');
      return token;
    },
    release() {
      if (released) return;
      released = true;
      try {
        flock(fd, LOCK_UN);
      } finally {
        closeSync(fd);
      }
    },
  };
}

function op(mode: LockMode): number {
  return mode === 'shared' ? LOCK_SH : LOCK_EX;
}

/** Takes the lock without waiting: the Lock, or undefined when another holder has it. */
export function tryLock(path: string, mode: LockMode): Lock | undefined {
  const fd = openLockFile(path);
  try {
    if (tryFlock(fd, op(mode))) return makeLock(path, fd, mode);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  closeSync(fd);
  return undefined;
}

/** Takes the lock, waiting (without blocking the event loop) while someone else holds it. */
export async function acquireLock(path: string, mode: LockMode, opts: LockOptions = {}): Promise<Lock> {
  const fd = openLockFile(path);
  const start = Date.now();
  let delay = 1;
  try {
    for (;;) {
      if (tryFlock(fd, op(mode))) return makeLock(path, fd, mode);
      opts.signal?.throwIfAborted();
      if (opts.timeoutMs !== undefined && Date.now() - start >= opts.timeoutMs) {
        throw new BerthError(`locking ${path}: still held by another process after ${opts.timeoutMs} ms`, {
          code: 'lock-timeout',
        });
      }
      await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
      delay = Math.min(delay * 2, 50);
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Runs `fn` holding the lock; releases it however `fn` ends. */
export async function withLock<T>(
  path: string,
  mode: LockMode,
  fn: (lock: Lock) => Promise<T> | T,
  opts: LockOptions = {},
): Promise<T> {
  const lock = await acquireLock(path, mode, opts);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}
