import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsync, openSync, write } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { LOCK_EX, tryFlock } from '../sys/libc.js';
import { BerthError } from '../util/errors.js';
import { syncDir } from './atomic.js';
import { type DigestAlgorithm, parseDigest } from './digest.js';

/**
 * Writes one blob into the store's tmp/ and, on commit(), checks that its digest is the one
 * promised before renaming it into place, so a store never holds a blob under a wrong name.
 * The temp file stays flock'ed while we write it: recovery deletes only unlocked temp files,
 * which are what a dead process left.
 */
export class BlobWriter extends Writable {
  readonly digest: string;
  readonly tmpPath!: string;
  readonly finalPath: string;
  private readonly hash;
  private readonly algorithm: DigestAlgorithm;
  private fd: number | undefined;
  private done = false;
  private actual: string | undefined;
  /** Bytes written so far. */
  bytes = 0;

  constructor(digest: string, tmpDir: string, finalPath: string) {
    // Not autoDestroy: finishing the stream must not drop the temp file before commit().
    super({ autoDestroy: false });
    const { algorithm, hex } = parseDigest(digest);
    this.digest = digest;
    this.algorithm = algorithm;
    this.hash = createHash(algorithm);
    this.finalPath = finalPath;
    // Another process's recovery may take the lock between our open and our flock, and unlink
    // the file as an orphan: only a file we locked that is still linked is ours to use.
    for (let attempt = 0; ; attempt++) {
      const tmpPath = join(
        tmpDir,
        `blob-${hex.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`,
      );
      const fd = openSync(tmpPath, 'wx', 0o644);
      if (tryFlock(fd, LOCK_EX) && fstatSync(fd).nlink > 0) {
        this.tmpPath = tmpPath;
        this.fd = fd;
        break;
      }
      closeSync(fd);
      if (attempt >= 10) throw new BerthError(`writing blob ${digest}: cannot keep a temp file in ${tmpDir}`);
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const fd = this.fd!;
    const writeAll = (off: number) =>
      write(fd, chunk, off, chunk.length - off, null, (err, n) => {
        if (err) return cb(err);
        if (off + n < chunk.length) writeAll(off + n);
        else cb();
      });
    writeAll(0);
  }

  override _final(cb: (err?: Error | null) => void): void {
    fsync(this.fd!, (err) => cb(err));
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.done) {
      this.closeFd();
      unlink(this.tmpPath).then(
        () => cb(err),
        () => cb(err),
      );
      return;
    }
    cb(err);
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd); // closing drops the flock
  }

  /**
   * Ends the stream if needed, verifies the digest and moves the blob into place. A mismatch
   * deletes what was written and throws a BerthError naming both digests.
   */
  async commit(): Promise<string> {
    if (this.destroyed) throw new BerthError(`writing blob ${this.digest}: the write was aborted`);
    if (!this.writableFinished) {
      await new Promise<void>((resolve, reject) => {
        this.once('finish', resolve);
        this.once('error', reject);
        if (!this.writableEnded) this.end();
      });
    }
    const actual = this.actualDigest();
    if (actual !== this.digest) {
      await this.abort();
      throw new BerthError(`writing blob ${this.digest}: digest mismatch: the content has digest ${actual}`, {
        code: 'digest-mismatch',
      });
    }
    try {
      await mkdir(dirname(this.finalPath), { recursive: true });
      await rename(this.tmpPath, this.finalPath);
      await syncDir(dirname(this.finalPath));
    } catch (e) {
      await this.abort();
      throw e;
    }
    this.done = true;
    this.closeFd();
    return this.finalPath;
  }

  /**
   * The digest of the bytes written, once the stream has finished: lets a caller name the
   * mismatch in its own words before commit() (and saves hashing the bytes a second time).
   */
  actualDigest(): string {
    if (!this.writableFinished) throw new Error('BlobWriter: actualDigest() before the stream finished');
    this.actual ??= `${this.algorithm}:${this.hash.digest('hex')}`;
    return this.actual;
  }

  /** Drops what was written. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.closeFd();
    if (!this.destroyed) this.destroy();
    await unlink(this.tmpPath).catch(() => {});
  }
}
