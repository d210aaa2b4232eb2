import { errorCode } from './errors.js';

/**
 * What counts as a transient failure worth retrying, and how long to wait. Pure.
 */

/** An HTTP answer that may succeed if asked again (5xx, 429 with Retry-After, 408). */
export class TransientHttpError extends Error {
  constructor(
    readonly status: number,
    /** The BerthError to report if retries run out. */
    readonly final: Error,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
    this.name = 'TransientHttpError';
  }
}

/** The body ended before the announced size: the connection dropped without an error. */
export class ShortBodyError extends Error {
  constructor(received: number, expected: number) {
    super(`body ended after ${received} of ${expected} bytes`);
    this.name = 'ShortBodyError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export function isTransient(e: unknown): boolean {
  if (e instanceof TransientHttpError || e instanceof ShortBodyError) return true;
  const code = errorCode(e);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Whether an HTTP status is worth retrying; 429 only when the server says when. */
export function isTransientStatus(status: number, retryAfterMs: number | undefined): boolean {
  if (status === 429) return retryAfterMs !== undefined;
  return status === 408 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff delay; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

/** Whether error `e` on retry number `attempt` (1-based) should be retried. */
export function shouldRetry(e: unknown, attempt: number, policy: RetryPolicy): boolean {
  if (attempt > policy.retries || !isTransient(e)) return false;
  if (e instanceof TransientHttpError && e.retryAfterMs !== undefined) {
    return e.retryAfterMs <= policy.maxRetryAfterMs;
  }
  return true;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
