import { Readable } from 'node:stream';
import { BerthError } from '../../util/errors.js';
import {
  backoffDelay,
  type RetryPolicy,
  ShortBodyError,
  shouldRetry,
  sleep,
  TransientHttpError,
} from './retry.js';

/**
 * A byte stream over a blob download that survives dropped connections: it asks again from
 * where it stopped (`Range: bytes=<received>-`) and carries on. The HTTP part is the caller's
 * `open(offset)`; this module only decides when to retry and stitches the pieces together.
 */

export interface OpenedBody {
  /** 200 (whole blob) or 206 (from `rangeStart`). */
  status: number;
  body: AsyncIterable<Buffer | Uint8Array>;
  /** For 206: where the returned range starts (from Content-Range). */
  rangeStart?: number;
}

export interface ResumableOptions {
  /** Expected size; a body that ends early is then retried instead of accepted. */
  size?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
  policy: RetryPolicy;
  /** Says what is retried and why (never credentials). */
  log?: (line: string) => void;
  /** For error messages: e.g. `blob sha256:... in host/repo`. */
  what: string;
  /** Turns a final failure into a BerthError. */
  finalError: (e: unknown) => Error;
}

export function resumableStream(
  open: (offset: number) => Promise<OpenedBody>,
  opts: ResumableOptions,
): Readable {
  return Readable.from(chunks(open, opts), { objectMode: false });
}

async function* chunks(
  open: (offset: number) => Promise<OpenedBody>,
  opts: ResumableOptions,
): AsyncGenerator<Buffer> {
  let received = 0;
  let attempt = 0;
  for (;;) {
    const before = received;
    try {
      const res = await open(received);
      // Content-addressed bytes are the same on every attempt, so a server that ignores the
      // Range header and starts over costs time, not correctness: drop what we already have.
      let skip = 0;
      if (received > 0) {
        if (res.status === 206) {
          if (res.rangeStart !== received) {
            throw new BerthError(
              `downloading ${opts.what}: the registry resumed at byte ${res.rangeStart ?? '?'} instead of ${received}`,
            );
          }
        } else {
          skip = received;
        }
      }
      for await (const c of res.body) {
        let buf = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
        if (skip > 0) {
          if (buf.length <= skip) {
            skip -= buf.length;
            continue;
          }
          buf = buf.subarray(skip);
          skip = 0;
        }
        received += buf.length;
        if (opts.size !== undefined && received > opts.size) {
          throw new BerthError(`downloading ${opts.what}: more data than the expected ${opts.size} bytes`);
        }
        opts.onProgress?.(received, opts.size);
        yield buf;
      }
      if (skip > 0 || (opts.size !== undefined && received < opts.size)) {
        throw new ShortBodyError(received, opts.size ?? received + skip);
      }
      return;
    } catch (e) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? e;
      // Progress resets the budget: a long download over a flaky link should not run out.
      if (received > before) attempt = 0;
      attempt++;
      if (!shouldRetry(e, attempt, opts.policy)) throw opts.finalError(e);
      const delay = backoffDelay(
        attempt,
        opts.policy,
        e instanceof TransientHttpError ? e.retryAfterMs : undefined,
      );
      opts.log?.(
        `downloading ${opts.what}: ${(e as Error).message}; retrying from byte ${received} in ${delay} ms ` +
          `(attempt ${attempt} of ${opts.policy.retries})`,
      );
      await sleep(delay, opts.signal);
    }
  }
}
