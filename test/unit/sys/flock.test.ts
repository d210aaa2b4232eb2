import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, tryLock, withLock } from '../../../src/sys/flock.js';
import { readJson, writeFileAtomic } from '../../../src/storage/atomic.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-flock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('flock locks', () => {
  it('an exclusive lock excludes others until released; shared locks coexist', async () => {
    const path = join(dir, 'lock');
    const ex = tryLock(path, 'exclusive')!;
    expect(ex).toBeDefined();
    expect(tryLock(path, 'shared')).toBeUndefined();
    expect(tryLock(path, 'exclusive')).toBeUndefined();
    ex.release();
    const s1 = tryLock(path, 'shared')!;
    const s2 = tryLock(path, 'shared')!;
    expect(s1 && s2).toBeDefined();
    expect(tryLock(path, 'exclusive')).toBeUndefined();
    s1.release();
    s2.release();
    tryLock(path, 'exclusive')!.release();
  });

  it('withLock waits for the holder without blocking the event loop', async () => {
    const path = join(dir, 'lock');
    const order: string[] = [];
    const first = await acquireLock(path, 'exclusive');
    const waiting = withLock(path, 'exclusive', () => {
      order.push('second');
    });
    // The event loop keeps running while the second waiter polls.
    await new Promise((r) => setTimeout(r, 30));
    order.push('first done');
    first.release();
    await waiting;
    expect(order).toEqual(['first done', 'second']);
  });

  it('releases the lock when fn throws', async () => {
    const path = join(dir, 'lock');
    await expect(
      withLock(path, 'exclusive', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const again = tryLock(path, 'exclusive');
    expect(again).toBeDefined();
    again!.release();
  });

  it('gives up after timeoutMs', async () => {
    const path = join(dir, 'lock');
    const held = tryLock(path, 'exclusive')!;
    await expect(acquireLock(path, 'shared', { timeoutMs: 30 })).rejects.toMatchObject({
      code: 'lock-timeout',
    });
    held.release();
  });

  it('keeps a last-write token in the lock file', async () => {
    const path = join(dir, 'lock');
    const token = await withLock(path, 'exclusive', (l) => {
      expect(l.readToken()).toBe('');
      return l.writeToken();
    });
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(await withLock(path, 'shared', (l) => l.readToken())).toBe(token);
    const next = await withLock(path, 'exclusive', (l) => l.writeToken());
    expect(next).not.toBe(token);
  });
});

describe('atomic files', () => {
  it('writes, replaces and reads JSON without leaving temp files', async () => {
    const path = join(dir, 'x.json');
    expect(await readJson(path)).toBeUndefined();
    await writeFileAtomic(path, JSON.stringify({ a: 1 }), 0o600);
    await writeFileAtomic(path, JSON.stringify({ a: 2 }), 0o600);
    expect(await readJson<{ a: number }>(path)).toEqual({ a: 2 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['x.json']);
    writeFileSync(path, '{broken');
    await expect(readJson(path)).rejects.toThrow(/invalid JSON/);
  });
});
