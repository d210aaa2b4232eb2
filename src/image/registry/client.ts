import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { BerthError } from '../../util/errors.js';
import { ACCEPT, isValidDigest } from '../manifest.js';
import {
  basicAuth,
  type Credentials,
  fetchToken,
  mergeScopes,
  pullScope,
  pushScope,
  tokenCacheKey,
} from './auth.js';
import { resumableStream } from './blob-stream.js';
import { httpError, isTlsError, type RequestContext, transportError, where } from './errors.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isTransientStatus,
  parseRetryAfter,
  type RetryPolicy,
  shouldRetry,
  sleep,
  TransientHttpError,
} from './retry.js';
import { type Challenge, parseWwwAuthenticate } from './www-authenticate.js';

export type { Credentials } from './auth.js';

/**
 * A client for one registry host speaking the distribution API v2: pull and push
 * primitives, token and basic auth, retries with resumed blob downloads.
 */
export interface RegistryClientOptions {
  /** `host[:port]` as in an image reference, e.g. `registry.example.com:5000`. */
  host: string;
  /** Allows plain HTTP (after HTTPS fails) and skips TLS verification. */
  insecure?: boolean;
  /** Verify TLS certificates (default true; false when insecure). */
  tlsVerify?: boolean;
  /** Looked up once, when the registry first asks for authentication. */
  credentials?: () => Promise<Credentials | undefined>;
  userAgent?: string;
  retry?: Partial<RetryPolicy>;
  /** Debug lines; Authorization values are redacted before they get here. */
  debug?: (line: string) => void;
}

export interface ManifestResult {
  bytes: Buffer;
  /** The Content-Type the registry gave (parameters stripped); may be generic or empty. */
  mediaType: string;
  digest: string;
}

export interface ManifestHead {
  mediaType: string;
  /** From Docker-Content-Digest, when the registry sends it. */
  digest?: string;
  size?: number;
}

export interface FetchBlobOptions {
  size?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
type Response = Dispatcher.ResponseData;

interface SendOptions {
  method: Method;
  /** A path on the registry (`/v2/...`) or an absolute URL (upload locations). */
  url: string | URL;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  scopes: string[];
  followRedirects?: boolean;
  signal?: AbortSignal;
}

/** Manifests are small; the distribution spec lets registries refuse more than 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function isLoopbackHost(host: string): boolean {
  const name = hostName(host);
  return (
    name === 'localhost' || name.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '::1'
  );
}

function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon > 0 && !host.slice(0, colon).includes(':') ? host.slice(0, colon) : host;
}

/** Header values safe for debug output. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = /^(authorization|proxy-authorization|cookie|set-cookie)$/i.test(k) ? '<redacted>' : v;
  }
  return out;
}

export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

function header(res: Response, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function bareContentType(v: string | undefined): string {
  return (v ?? '').split(';')[0].trim();
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > limit) throw new BerthError(`${what}: larger than ${limit} bytes`);
    parts.push(c);
  }
  return Buffer.concat(parts);
}

export class RegistryClient {
  readonly host: string;
  private readonly opts: RegistryClientOptions;
  private readonly policy: RetryPolicy;
  private agentInstance?: Agent;
  private base?: string;
  private pinging?: Promise<void>;
  /** The challenge of the last 401 from /v2/ (or a later request); undefined: no auth. */
  private challenge?: Challenge;
  private credsPromise?: Promise<Credentials | undefined>;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(opts: RegistryClientOptions) {
    this.opts = opts;
    this.host = opts.host;
    this.policy = { ...DEFAULT_RETRY, ...opts.retry };
  }

  private get agent(): Agent {
    this.agentInstance ??= new Agent({
      connect: { rejectUnauthorized: this.opts.tlsVerify ?? !this.opts.insecure },
    });
    return this.agentInstance;
  }

  async close(): Promise<void> {
    await this.agentInstance?.close();
    this.agentInstance = undefined;
  }

  private log(line: string): void {
    this.opts.debug?.(line);
  }

  /** Schemes to try, in order: Docker talks plain HTTP to loopback registries. */
  private schemes(): string[] {
    if (isLoopbackHost(this.host)) return ['http', 'https'];
    return this.opts.insecure ? ['https', 'http'] : ['https'];
  }

  private credentials(): Promise<Credentials | undefined> {
    this.credsPromise ??= this.opts.credentials ? this.opts.credentials() : Promise.resolve(undefined);
    return this.credsPromise;
  }

  private baseHeaders(): Record<string, string> {
    return this.opts.userAgent ? { 'user-agent': this.opts.userAgent } : {};
  }

  private async raw(
    method: Method,
    url: URL,
    headers: Record<string, string>,
    body?: Buffer | Readable | string,
    signal?: AbortSignal,
  ): Promise<Response> {
    const all = { ...this.baseHeaders(), ...headers };
    // Query strings may carry signed storage URLs or account names: keep them out of logs.
    const shown = `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
    this.log(`${method} ${shown} ${JSON.stringify(redactHeaders(all))}`);
    const res = await this.agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method,
      headers: all,
      body: body ?? null,
      signal: signal ?? null,
    });
    this.log(`${method} ${shown} -> ${res.statusCode}`);
    return res;
  }

  /** GET /v2/: picks the scheme and learns how the registry wants to be authenticated. */
  private ensurePing(): Promise<void> {
    this.pinging ??= this.ping().catch((e) => {
      this.pinging = undefined;
      throw e;
    });
    return this.pinging;
  }

  private async ping(): Promise<void> {
    const schemes = this.schemes();
    let firstError: unknown;
    for (const [i, scheme] of schemes.entries()) {
      const base = `${scheme}://${this.host}`;
      let res: Response;
      try {
        res = await this.raw('GET', new URL('/v2/', base), {});
      } catch (e) {
        // The most telling failure wins: a TLS problem over "the other scheme was refused".
        if (firstError === undefined || (isTlsError(e) && !isTlsError(firstError))) firstError = e;
        // Only a transport failure (refused, TLS) says "try the other scheme".
        continue;
      }
      const text = await res.body.text().catch(() => '');
      if (res.statusCode === 400 && /HTTPS server/i.test(text) && i < schemes.length - 1) continue;
      this.base = base;
      this.challenge =
        res.statusCode === 401
          ? pickChallenge(parseWwwAuthenticate(res.headers['www-authenticate']))
          : undefined;
      return;
    }
    throw transportError(firstError, this.host);
  }

  private async authorization(
    scopes: string[],
    challenge = this.challenge,
    fresh = false,
  ): Promise<string | undefined> {
    if (!challenge) return undefined;
    const creds = await this.credentials();
    if (challenge.scheme === 'basic') {
      return creds && 'username' in creds ? basicAuth(creds) : undefined;
    }
    const key = tokenCacheKey(challenge, scopes);
    let token = fresh ? undefined : this.tokens.get(key);
    if (!token) {
      token = fetchToken({
        challenge,
        scopes,
        credentials: creds,
        registry: this.host,
        http: (method, url, headers, body) => this.tokenHttp(method, url, headers, body),
      });
      this.tokens.set(key, token);
      token.catch(() => this.tokens.delete(key));
    }
    return `Bearer ${await token}`;
  }

  private async tokenHttp(method: 'GET' | 'POST', url: URL, headers: Record<string, string>, body?: string) {
    let res: Response;
    try {
      res = await this.raw(method, url, headers, body);
    } catch (e) {
      throw transportError(e, url.host);
    }
    return { status: res.statusCode, text: await res.body.text() };
  }

  /**
   * One request with authentication and redirects. Transport errors are thrown as they are,
   * so the retry layer can tell transient ones apart; HTTP errors are the caller's to judge.
   */
  private async send(o: SendOptions): Promise<Response> {
    await this.ensurePing();
    let url = new URL(o.url, this.base);
    const registryOrigin = new URL(this.base!).origin;
    let auth = url.origin === registryOrigin ? await this.authorization(o.scopes) : undefined;
    let retriedAuth = false;
    const replayable = !(o.body instanceof Readable);
    for (let redirects = 0; ; ) {
      const headers = { ...o.headers, ...(auth ? { authorization: auth } : {}) };
      const res = await this.raw(o.method, url, headers, o.body, o.signal);
      if (res.statusCode === 401 && !retriedAuth && replayable && url.origin === registryOrigin) {
        const challenge = pickChallenge(parseWwwAuthenticate(res.headers['www-authenticate']));
        if (challenge) {
          await res.body.dump();
          retriedAuth = true;
          this.challenge = challenge;
          const scopes = challenge.scheme === 'bearer' ? mergeScopes(o.scopes, challenge) : o.scopes;
          // Without credentials to offer this asks again anonymously, and the caller then
          // sees the registry's own 401 answer.
          auth = await this.authorization(scopes, challenge, true);
          continue;
        }
      }
      if (o.followRedirects && REDIRECTS.has(res.statusCode) && header(res, 'location')) {
        await res.body.dump();
        if (++redirects > MAX_REDIRECTS) {
          throw new BerthError(`${o.method} ${url.origin}${url.pathname}: too many redirects`);
        }
        const next = new URL(header(res, 'location')!, url);
        // Blob storage lives elsewhere (S3, a CDN): registry credentials must not follow.
        if (next.origin !== url.origin) auth = undefined;
        url = next;
        continue;
      }
      return res;
    }
  }

  /** Checks the status; other answers become BerthErrors (or TransientHttpErrors to retry). */
  private async expect(res: Response, ok: number[], ctx: RequestContext): Promise<void> {
    if (ok.includes(res.statusCode)) return;
    const text = await res.body.text().catch(() => '');
    const err = httpError(res.statusCode, text, ctx);
    const retryAfter = parseRetryAfter(res.headers['retry-after']);
    if (isTransientStatus(res.statusCode, retryAfter))
      throw new TransientHttpError(res.statusCode, err, retryAfter);
    throw err;
  }

  /** Runs `fn` again on transient failures; the final error is always a BerthError. */
  private async retrying<T>(ctx: RequestContext, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (signal?.aborted) throw signal.reason ?? e;
        if (!shouldRetry(e, attempt, this.policy)) throw this.finalError(e, ctx);
        const delay = backoffDelay(
          attempt,
          this.policy,
          e instanceof TransientHttpError ? e.retryAfterMs : undefined,
        );
        this.log(`${ctx.action} ${where(ctx)}: ${(e as Error).message}; retrying in ${delay} ms`);
        await sleep(delay, signal);
      }
    }
  }

  private finalError(e: unknown, ctx: RequestContext): Error {
    if (e instanceof TransientHttpError) return e.final;
    if (e instanceof BerthError) {
      // A refused token names only the registry; say what it was for.
      const m = /^authenticating with \S+: /.exec(e.message);
      if (!m) return e;
      return new BerthError(`${ctx.action} ${where(ctx)}: ${e.message.slice(m[0].length)}`, {
        code: e.code,
        hint: e.hint,
        cause: e,
      });
    }
    if ((e as Error)?.name === 'AbortError') return e as Error;
    const t = transportError(e, this.host);
    if (isTlsError(e)) return t;
    return new BerthError(`${ctx.action} ${where(ctx)}: ${t.message.replace(/^cannot reach [^:]+: /, '')}`, {
      code: t.code,
      cause: e,
    });
  }

  private repoPath(repo: string, rest: string): string {
    return `/v2/${repo}/${rest}`;
  }

  /** Fetches a manifest and checks it is the one asked for. */
  async getManifest(
    repo: string,
    tagOrDigest: string,
    accept: readonly string[] = ACCEPT,
  ): Promise<ManifestResult> {
    const ctx: RequestContext = {
      registry: this.host,
      repository: repo,
      action: 'reading manifest',
      ref: tagOrDigest,
      notFound: 'manifest',
    };
    return this.retrying(ctx, async () => {
      const res = await this.send({
        method: 'GET',
        url: this.repoPath(repo, `manifests/${tagOrDigest}`),
        headers: { accept: accept.join(', ') },
        scopes: [pullScope(repo)],
        followRedirects: true,
      });
      await this.expect(res, [200], ctx);
      const bytes = await readLimited(
        res.body,
        MAX_MANIFEST_BYTES,
        `reading manifest ${tagOrDigest} in ${where(ctx)}`,
      );
      const digest = digestOf(bytes);
      const mismatch = (expected: string, source: string) =>
        new BerthError(
          `reading manifest ${tagOrDigest} in ${where(ctx)}: digest mismatch: ${source} ${expected}, got ${digest}`,
          { code: 'digest-mismatch' },
        );
      if (isValidDigest(tagOrDigest)) {
        const algorithm = tagOrDigest.split(':')[0];
        const actual = algorithm === 'sha256' ? digest : digestOf(bytes, algorithm);
        if (actual !== tagOrDigest) throw mismatch(tagOrDigest, 'asked for');
      }
      const claimed = header(res, 'docker-content-digest');
      if (claimed?.startsWith('sha256:') && claimed !== digest) throw mismatch(claimed, 'registry claims');
      return { bytes, mediaType: bareContentType(header(res, 'content-type')), digest };
    });
  }

  async headManifest(
    repo: string,
    tagOrDigest: string,
    accept: readonly string[] = ACCEPT,
  ): Promise<ManifestHead> {
    const ctx: RequestContext = {
      registry: this.host,
      repository: repo,
      action: 'checking manifest',
      ref: tagOrDigest,
      notFound: 'manifest',
    };
    return this.retrying(ctx, async () => {
      const res = await this.send({
        method: 'HEAD',
        url: this.repoPath(repo, `manifests/${tagOrDigest}`),
        headers: { accept: accept.join(', ') },
        scopes: [pullScope(repo)],
        followRedirects: true,
      });
      await this.expect(res, [200], ctx);
      await res.body.dump();
      const digest = header(res, 'docker-content-digest');
      const length = header(res, 'content-length');
      return {
        mediaType: bareContentType(header(res, 'content-type')),
        ...(digest && { digest }),
        ...(length !== undefined && { size: Number(length) }),
      };
    });
  }

  private blobContext(repo: string, digest: string, action = 'reading blob'): RequestContext {
    return { registry: this.host, repository: repo, action, ref: digest, notFound: 'blob' };
  }

  private async openBlob(repo: string, digest: string, offset: number, signal?: AbortSignal) {
    const ctx = this.blobContext(repo, digest);
    const res = await this.send({
      method: 'GET',
      url: this.repoPath(repo, `blobs/${digest}`),
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      scopes: [pullScope(repo)],
      followRedirects: true,
      signal,
    });
    await this.expect(res, [200, 206], ctx);
    const range = /^bytes (\d+)-/.exec(header(res, 'content-range') ?? '');
    return {
      status: res.statusCode,
      body: res.body as AsyncIterable<Buffer>,
      ...(range && { rangeStart: Number(range[1]) }),
    };
  }

  /**
   * The blob's body as it arrives, from `offset` when given (no retries once bytes flow;
   * see fetchBlob). The caller verifies the digest while streaming.
   */
  async getBlob(
    repo: string,
    digest: string,
    opts: { offset?: number; signal?: AbortSignal } = {},
  ): Promise<Readable> {
    const offset = opts.offset ?? 0;
    const ctx = this.blobContext(repo, digest);
    const res = await this.retrying(ctx, () => this.openBlob(repo, digest, offset, opts.signal), opts.signal);
    if (offset > 0 && res.status !== 206)
      return Readable.from(dropPrefix(res.body, offset), { objectMode: false });
    if (offset > 0 && res.rangeStart !== offset) {
      throw new BerthError(
        `reading blob ${digest} in ${where(ctx)}: the registry answered a different range`,
      );
    }
    return res.body as Readable;
  }

  /**
   * The blob's body as a stream that retries transient failures and resumes where it
   * stopped. Errors surface as the stream's 'error' (BerthErrors, or the abort reason).
   */
  fetchBlob(repo: string, digest: string, opts: FetchBlobOptions = {}): Readable {
    const ctx = this.blobContext(repo, digest);
    return resumableStream((offset) => this.openBlob(repo, digest, offset, opts.signal), {
      ...(opts.size !== undefined && { size: opts.size }),
      ...(opts.onProgress && { onProgress: opts.onProgress }),
      ...(opts.signal && { signal: opts.signal }),
      policy: this.policy,
      log: (line) => this.log(line),
      what: `blob ${digest} in ${where(ctx)}`,
      finalError: (e) => this.finalError(e, ctx),
    });
  }

  async blobExists(repo: string, digest: string): Promise<boolean> {
    const ctx = this.blobContext(repo, digest, 'checking blob');
    return this.retrying(ctx, async () => {
      const res = await this.send({
        method: 'HEAD',
        url: this.repoPath(repo, `blobs/${digest}`),
        scopes: [pullScope(repo)],
        followRedirects: true,
      });
      await res.body.dump();
      if (res.statusCode === 404) return false;
      await this.expect(res, [200], ctx);
      return true;
    });
  }

  /**
   * Uploads a blob (POST then one monolithic PUT), or mounts it from `mountFrom`, another
   * repository on this registry, when the registry allows. A Readable body is sent once:
   * it cannot be replayed, so it is not retried.
   */
  async uploadBlob(
    repo: string,
    digest: string,
    data: Buffer | Readable,
    size: number,
    opts: { mountFrom?: string } = {},
  ): Promise<{ mounted: boolean }> {
    const ctx = this.blobContext(repo, digest, 'uploading blob');
    if (!isValidDigest(digest))
      throw new BerthError(`uploading blob to ${where(ctx)}: invalid digest ${digest}`);
    if (Buffer.isBuffer(data) && data.length !== size) {
      throw new BerthError(
        `uploading blob ${digest} to ${where(ctx)}: ${data.length} bytes given, ${size} declared`,
      );
    }
    const scopes = [pushScope(repo), ...(opts.mountFrom ? [pullScope(opts.mountFrom)] : [])];
    const query = opts.mountFrom
      ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(opts.mountFrom)}`
      : '';
    const location = await this.retrying(ctx, async () => {
      const res = await this.send({
        method: 'POST',
        url: this.repoPath(repo, `blobs/uploads/${query}`),
        headers: { 'content-length': '0' },
        scopes,
      });
      await this.expect(res, [201, 202], ctx);
      await res.body.dump();
      if (res.statusCode === 201) return undefined;
      const loc = header(res, 'location');
      if (!loc)
        throw new BerthError(
          `uploading blob ${digest} to ${where(ctx)}: the registry gave no upload location`,
        );
      return new URL(loc, this.base);
    });
    if (!location) return { mounted: true };
    location.searchParams.set('digest', digest);
    const put = async () => {
      const res = await this.send({
        method: 'PUT',
        url: location,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: data,
        scopes,
      });
      await this.expect(res, [201, 204], ctx);
      await res.body.dump();
    };
    if (Buffer.isBuffer(data)) await this.retrying(ctx, put);
    else await put().catch((e) => Promise.reject(this.finalError(e, ctx)));
    return { mounted: false };
  }

  /** Stores a manifest under a tag or digest; returns its digest. */
  async putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<string> {
    const ctx: RequestContext = { registry: this.host, repository: repo, action: 'writing manifest', ref };
    const digest = digestOf(bytes);
    return this.retrying(ctx, async () => {
      const res = await this.send({
        method: 'PUT',
        url: this.repoPath(repo, `manifests/${ref}`),
        headers: { 'content-type': mediaType },
        body: bytes,
        scopes: [pushScope(repo)],
      });
      await this.expect(res, [200, 201, 202], ctx);
      await res.body.dump();
      const claimed = header(res, 'docker-content-digest');
      if (claimed?.startsWith('sha256:') && claimed !== digest) {
        throw new BerthError(
          `writing manifest ${ref} to ${where(ctx)}: the registry stored ${claimed}, we sent ${digest}`,
        );
      }
      return digest;
    });
  }

  /** All tags of a repository, following pagination. */
  async listTags(repo: string): Promise<string[]> {
    const ctx: RequestContext = {
      registry: this.host,
      repository: repo,
      action: 'listing tags of',
      notFound: 'repository',
    };
    const tags: string[] = [];
    let next: string | undefined = this.repoPath(repo, 'tags/list');
    for (let pages = 0; next && pages < 1000; pages++) {
      const url: string = next;
      const page = await this.retrying(ctx, async () => {
        const res = await this.send({ method: 'GET', url, scopes: [pullScope(repo)], followRedirects: true });
        await this.expect(res, [200], ctx);
        const json = (await res.body.json()) as { tags?: unknown };
        const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(res, 'link') ?? '');
        return { tags: Array.isArray(json.tags) ? json.tags.map(String) : [], next: link?.[1] };
      });
      tags.push(...page.tags);
      next = page.next;
    }
    return tags;
  }

  /**
   * `berth login`: authenticates against /v2/ with the credentials (doing the token exchange
   * when the registry uses tokens). Resolves when accepted or when the registry needs none.
   */
  async checkLogin(): Promise<void> {
    this.pinging = undefined;
    this.tokens.clear();
    await this.ensurePing();
    const challenge = this.challenge;
    if (!challenge) return;
    const what = `logging in to ${this.host}`;
    const creds = await this.credentials();
    if (!creds) throw new BerthError(`${what}: no credentials given`, { code: 'unauthorized' });
    let auth: string | undefined;
    try {
      auth = await this.authorization([], challenge, true);
    } catch (e) {
      if (e instanceof BerthError && e.code === 'unauthorized') {
        throw new BerthError(`${what}: ${e.message.replace(/^authenticating with \S+: /, '')}`, {
          code: 'unauthorized',
        });
      }
      throw e;
    }
    let res: Response;
    try {
      res = await this.raw('GET', new URL('/v2/', this.base), auth ? { authorization: auth } : {});
    } catch (e) {
      throw transportError(e, this.host);
    }
    await res.body.dump();
    if (res.statusCode === 200) return;
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new BerthError(`${what}: unauthorized: incorrect username or password`, { code: 'unauthorized' });
    }
    throw new BerthError(`${what}: unexpected HTTP status ${res.statusCode}`, { code: 'registry' });
  }
}

/** Bearer when offered (it carries scopes), else Basic; other schemes are not ours. */
function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}

async function* dropPrefix(body: AsyncIterable<Buffer>, n: number): AsyncGenerator<Buffer> {
  let skip = n;
  for await (const c of body) {
    if (skip >= c.length) {
      skip -= c.length;
      continue;
    }
    yield skip > 0 ? c.subarray(skip) : c;
    skip = 0;
  }
}
