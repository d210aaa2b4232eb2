import { BerthError } from '../../util/errors.js';

/**
 * Turning registry answers and transport failures into BerthErrors. Pure: the client passes
 * the status, the body text and what it was doing. Messages name the registry and repository,
 * never credentials.
 */

export interface RegistryErrorEntry {
  code: string;
  message?: string;
}

/** What the client was doing, for `<what failed>: <why>`. */
export interface RequestContext {
  registry: string;
  repository?: string;
  /** e.g. 'reading manifest', 'uploading blob'. */
  action: string;
  /** The tag or digest involved, when there is one. */
  ref?: string;
  /** What a 404 without an error body means here. */
  notFound?: 'manifest' | 'blob' | 'repository';
}

/** The distribution spec's error body: `{"errors":[{"code":"...","message":"..."}]}`. */
export function parseErrorBody(text: string | undefined): RegistryErrorEntry[] {
  if (!text) return [];
  try {
    const json = JSON.parse(text) as unknown;
    const errors = (json as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return [];
    return errors
      .filter((e): e is { code: unknown; message?: unknown } => typeof e === 'object' && e !== null)
      .map((e) => ({
        code: String(e.code ?? 'UNKNOWN'),
        message: typeof e.message === 'string' ? e.message : undefined,
      }));
  } catch {
    return [];
  }
}

export function where(ctx: RequestContext): string {
  return ctx.repository ? `${ctx.registry}/${ctx.repository}` : ctx.registry;
}

export function loginHint(registry: string): string {
  return `log in with 'berth login ${registry}' using an account allowed to access it`;
}

/** A BerthError for an HTTP error status from the registry. */
export function httpError(status: number, bodyText: string | undefined, ctx: RequestContext): BerthError {
  const entries = parseErrorBody(bodyText);
  const first = entries[0];
  const codes = new Set(entries.map((e) => e.code));
  const prefix = `${ctx.action} ${where(ctx)}`;
  const ref = ctx.ref ?? '';
  const err = (why: string, code: string, hint?: string) =>
    new BerthError(`${prefix}: ${why}`, { code, hint });

  if (codes.has('NAME_UNKNOWN')) return err(`repository ${ctx.repository ?? ''} not found`, 'not-found');
  if (codes.has('MANIFEST_UNKNOWN')) return err(`manifest unknown: ${ref}`, 'not-found');
  if (codes.has('BLOB_UNKNOWN')) return err(`blob unknown: ${ref}`, 'not-found');
  if (status === 401 || codes.has('UNAUTHORIZED')) {
    return err(
      `unauthorized: ${first?.message || 'authentication required'}`,
      'unauthorized',
      loginHint(ctx.registry),
    );
  }
  if (status === 403 || codes.has('DENIED')) {
    return err(
      `denied: ${first?.message || 'requested access to the resource is denied'}`,
      'denied',
      loginHint(ctx.registry),
    );
  }
  if (status === 429 || codes.has('TOOMANYREQUESTS')) {
    return err(`rate limited by ${ctx.registry}`, 'rate-limited', 'wait a while and try again, or log in');
  }
  if (status === 404) {
    switch (ctx.notFound) {
      case 'manifest':
        return err(`manifest unknown: ${ref}`, 'not-found');
      case 'blob':
        return err(`blob unknown: ${ref}`, 'not-found');
      case 'repository':
        return err(`repository ${ctx.repository ?? ''} not found`, 'not-found');
      default:
        return err('not found (HTTP 404)', 'not-found');
    }
  }
  if (first) {
    const why = first.message ? `${first.code.toLowerCase()}: ${first.message}` : first.code.toLowerCase();
    return err(why, 'registry');
  }
  return err(`unexpected HTTP status ${status}`, 'registry');
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** The error code of a transport failure, looking through `cause` and AggregateError. */
export function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (cur instanceof AggregateError && cur.errors.length > 0) cur = cur.errors[0];
    else cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isTlsError(e: unknown): boolean {
  const code = errorCode(e);
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')))
    return true;
  return /certificate|SSL routines|wrong version number/i.test(String((e as Error)?.message ?? ''));
}

/** A BerthError for a request that never got an HTTP answer. */
export function transportError(e: unknown, registry: string): BerthError {
  if (e instanceof BerthError) return e;
  const code = errorCode(e);
  const reach = `cannot reach ${registry}`;
  if (isTlsError(e)) {
    return new BerthError(`${reach}: TLS handshake failed: ${(e as Error).message}`, {
      code: 'tls',
      cause: e,
      hint: `if the registry is trusted, use --tls-verify=false or mark ${registry} insecure in registries.conf`,
    });
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    ECONNRESET: 'connection reset by peer',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection closed by the server',
    UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for the response',
    UND_ERR_BODY_TIMEOUT: 'timed out receiving the response',
  };
  const why = (code && reasons[code]) || (e as Error)?.message || String(e);
  return new BerthError(`${reach}: ${why}`, { code: 'unreachable', cause: e });
}
