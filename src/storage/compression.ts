import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { BerthError } from '../util/errors.js';

export type Compression = 'gzip' | 'zstd' | 'none';

/** The compression a layer media type declares (OCI and Docker schema2 names). */
export function compressionOf(mediaType: string): Compression {
  if (/[+.]gzip$/.test(mediaType) || mediaType.endsWith('tar.gz')) return 'gzip';
  if (/[+.]zstd$/.test(mediaType)) return 'zstd';
  if (mediaType.endsWith('tar')) return 'none';
  throw new BerthError(`unsupported layer media type ${mediaType}`);
}

/** The compression the first bytes of a stream show (for archives with no media types). */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    return 'zstd';
  }
  return 'none';
}

/** fzstd's streaming decoder as a Transform. */
class ZstdDecompress extends Transform {
  private readonly dec: Decompress;

  constructor() {
    super();
    this.dec = new Decompress((data) => {
      if (data.length > 0) this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.dec.push(chunk);
      cb();
    } catch (e) {
      cb(new BerthError(`decompressing zstd: ${(e as Error).message}`));
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.dec.push(new Uint8Array(0), true);
      cb();
    } catch (e) {
      cb(new BerthError(`decompressing zstd: ${(e as Error).message}`));
    }
  }
}

export function decompressor(compression: Compression): Transform {
  switch (compression) {
    case 'gzip':
      // Each chunk is a trip through the thread pool: big ones keep the trips few.
      return createGunzip({ chunkSize: 256 * 1024 });
    case 'zstd':
      return new ZstdDecompress();
    case 'none':
      return new PassThrough();
  }
}

/** A Transform that decompresses a layer of `mediaType`. */
export function decompressStream(mediaType: string): Transform {
  return decompressor(compressionOf(mediaType));
}

/** A Transform that decompresses whatever it is fed, deciding from the first bytes. */
export function decompressAuto(): Transform {
  let inner: Transform | undefined;
  let head = Buffer.alloc(0);
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (inner) return void (inner.write(chunk) ? cb() : inner.once('drain', () => cb()));
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) return cb();
      start(cb);
    },
    flush(cb) {
      if (!inner) start(() => {});
      inner!.once('end', () => cb());
      inner!.end();
    },
  });
  function start(cb: (err?: Error) => void) {
    inner = decompressor(sniffCompression(head));
    inner.on('data', (d: Buffer) => out.push(d));
    inner.on('error', (e) => out.destroy(e));
    const first = head;
    head = Buffer.alloc(0);
    if (inner.write(first)) cb();
    else inner.once('drain', () => cb());
  }
  return out;
}
