import { createHash, type Hash } from 'node:crypto';
import { PassThrough, type TransformCallback } from 'node:stream';
import { BerthError } from '../util/errors.js';

/** Digest algorithms we accept in `<alg>:<hex>` digests. */
export type DigestAlgorithm = 'sha256' | 'sha512';

const hexLength: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Splits and validates `sha256:<64 lowercase hex>` (or sha512); BerthError otherwise. */
export function parseDigest(digest: string): ParsedDigest {
  const i = digest.indexOf(':');
  const algorithm = digest.slice(0, i) as DigestAlgorithm;
  const hex = digest.slice(i + 1);
  const want = hexLength[algorithm];
  if (i < 0 || want === undefined || hex.length !== want || !/^[0-9a-f]+$/.test(hex)) {
    throw new BerthError(`invalid digest ${JSON.stringify(digest)}: want sha256:<64 hex digits>`);
  }
  return { algorithm, hex };
}

export function isDigest(s: string): boolean {
  try {
    parseDigest(s);
    return true;
  } catch {
    return false;
  }
}

/** `sha256:<hex>` of bytes. */
export function sha256Digest(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * OCI image-spec chain IDs for a list of diff IDs (bottom layer first):
 * chainID(L0) = diffID(L0), chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
 * Returned as full digests, bottom first.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    parseDigest(diffId);
    const prev = out[out.length - 1];
    out.push(prev === undefined ? diffId : sha256Digest(`${prev} ${diffId}`));
  }
  return out;
}

/** A PassThrough that hashes what flows through; `digest()` after the end gives `<alg>:<hex>`. */
export class HashingPassThrough extends PassThrough {
  readonly algorithm: DigestAlgorithm;
  /** Bytes seen so far. */
  bytes = 0;
  private readonly hash: Hash;
  private result: string | undefined;

  constructor(algorithm: DigestAlgorithm = 'sha256') {
    super();
    this.algorithm = algorithm;
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    super._transform(chunk, encoding, cb);
  }

  override _flush(cb: TransformCallback): void {
    this.result = `${this.algorithm}:${this.hash.digest('hex')}`;
    cb();
  }

  /** The digest of everything written; throws before the stream has ended. */
  digest(): string {
    if (this.result === undefined)
      throw new Error('HashingPassThrough: digest() before the end of the stream');
    return this.result;
  }
}

export function createHashingPassThrough(algorithm: DigestAlgorithm = 'sha256'): HashingPassThrough {
  return new HashingPassThrough(algorithm);
}
