import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../src/image/registry/client.js';
import { BerthError } from '../../../src/util/errors.js';
import { collect, makeImage, rejection, sha256 } from './fixtures.js';

/**
 * A misbehaving loopback registry: drops connections mid-body, answers 5xx and 429, ignores
 * Range, redirects to another origin, lies about digests. Each test sets `behave`.
 */
interface Seen {
  method: string;
  url: string;
  range?: string;
  authorization?: string;
  host: string;
}

const BLOB = randomBytes(300_000);
const BLOB_DIGEST = sha256(BLOB);
const CUT = 100_000;
const img = makeImage(10);

type Behaviour = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let seen: Seen[] = [];
let behave: Behaviour = () => {};
let count = 0;

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
}

function record(req: IncomingMessage) {
  seen.push({
    method: req.method ?? '',
    url: req.url ?? '',
    host: req.headers.host ?? '',
    ...(req.headers.range && { range: req.headers.range }),
    ...(req.headers.authorization && { authorization: req.headers.authorization }),
  });
}

/** The whole blob, or from a Range start with 206. */
function serveBlob(req: IncomingMessage, res: ServerResponse, honourRange = true) {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m && honourRange) {
    const start = Number(m[1]);
    res.writeHead(206, {
      'content-length': BLOB.length - start,
      'content-range': `bytes ${start}-${BLOB.length - 1}/${BLOB.length}`,
      'accept-ranges': 'bytes',
    });
    res.end(BLOB.subarray(start));
    return;
  }
  res.writeHead(200, { 'content-length': BLOB.length, 'accept-ranges': 'bytes' });
  res.end(BLOB);
}

/** Sends the first CUT bytes of a 200 answer, then drops the connection. */
function cutBlob(res: ServerResponse) {
  res.writeHead(200, { 'content-length': BLOB.length, 'accept-ranges': 'bytes' });
  res.write(BLOB.subarray(0, CUT), () => setTimeout(() => res.socket?.destroy(), 20));
}

let server: Server;
let other: Server;
let host: string;
let otherPort: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    record(req);
    if (req.url === '/v2/') {
      res.end('{}');
      return;
    }
    behave(req, res, ++count);
  });
  other = createServer((req, res) => {
    record(req);
    serveBlob(req, res);
  });
  host = `127.0.0.1:${await listen(server)}`;
  otherPort = await listen(other);
});

afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => other.close(r));
});

const clients: RegistryClient[] = [];
function client(extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) {
  const c = new RegistryClient({ host, retry: { retries: 3, baseDelayMs: 5 }, ...extra });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  seen = [];
  count = 0;
});

const blobRequests = () => seen.filter((s) => s.url.includes('/blobs/'));

describe('fetchBlob retries and resumes', () => {
  it('resumes with Range after the connection drops mid-body', async () => {
    behave = (req, res, n) => (n === 1 ? cutBlob(res) : serveBlob(req, res));
    const progress: number[] = [];
    const got = await collect(
      client().fetchBlob('r', BLOB_DIGEST, { size: BLOB.length, onProgress: (p) => progress.push(p) }),
    );
    expect(got.length).toBe(BLOB.length);
    expect(got.equals(BLOB)).toBe(true);
    const reqs = blobRequests();
    expect(reqs).toHaveLength(2);
    expect(reqs[0].range).toBeUndefined();
    expect(reqs[1].range).toBe(`bytes=${CUT}-`);
    // Progress never goes backwards and ends at the size.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(BLOB.length);
  });

  it('copes with a server that ignores Range after a drop', async () => {
    behave = (req, res, n) => (n === 1 ? cutBlob(res) : serveBlob(req, res, false));
    const got = await collect(client().fetchBlob('r', BLOB_DIGEST, { size: BLOB.length }));
    expect(got.equals(BLOB)).toBe(true);
    expect(blobRequests()[1].range).toBe(`bytes=${CUT}-`);
  });

  it('retries 5xx and 429 with Retry-After before the body starts', async () => {
    behave = (req, res, n) => {
      if (n === 1) {
        res.writeHead(503);
        res.end();
      } else if (n === 2) {
        res.writeHead(429, { 'retry-after': '0' });
        res.end();
      } else serveBlob(req, res);
    };
    const got = await collect(client().fetchBlob('r', BLOB_DIGEST));
    expect(got.equals(BLOB)).toBe(true);
    expect(blobRequests()).toHaveLength(3);
  });

  it('gives up after the retry budget with a clear error', async () => {
    behave = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'storage backend on fire' }] }));
    };
    const e = await rejection(collect(client().fetchBlob('r', BLOB_DIGEST)));
    expect(e).toBeInstanceOf(BerthError);
    expect(e.message).toBe(`reading blob ${host}/r: unknown: storage backend on fire`);
    expect(blobRequests()).toHaveLength(4);

    seen = [];
    behave = (_req, res) => cutBlob(res);
    const drop = await rejection(collect(client().fetchBlob('r', BLOB_DIGEST, { size: BLOB.length })));
    expect(drop).toBeInstanceOf(BerthError);
    expect(drop.message).toMatch(new RegExp(`^reading blob ${host}/r: `));
  });

  it('does not wait for a 429 without Retry-After', async () => {
    behave = (_req, res) => {
      res.writeHead(429);
      res.end();
    };
    const e = await rejection(client().getManifest('r', 'latest'));
    expect(e.message).toBe(`reading manifest ${host}/r: rate limited by ${host}`);
    expect(seen.filter((s) => s.url.includes('/manifests/'))).toHaveLength(1);
  });

  it('stops when aborted', async () => {
    behave = (_req, res) => cutBlob(res);
    const ac = new AbortController();
    const stream = client().fetchBlob('r', BLOB_DIGEST, {
      signal: ac.signal,
      onProgress: () => ac.abort(new Error('user gave up')),
    });
    const e = await rejection(collect(stream));
    expect(e.message).toBe('user gave up');
  });
});

describe('redirects and digests', () => {
  it('follows a redirect to blob storage without the registry credentials', async () => {
    behave = (req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
        res.end();
        return;
      }
      res.writeHead(307, { location: `http://localhost:${otherPort}/storage/blob?sig=abc` });
      res.end();
    };
    const c = client({ credentials: async () => ({ username: 'u', password: 'p' }) });
    const got = await collect(c.fetchBlob('r', BLOB_DIGEST));
    expect(got.equals(BLOB)).toBe(true);
    const toRegistry = seen.filter((s) => s.host === host && s.url.includes('/blobs/'));
    const toStorage = seen.filter((s) => s.url.startsWith('/storage/'));
    expect(toRegistry.at(-1)?.authorization).toMatch(/^Basic /);
    expect(toStorage).toHaveLength(1);
    expect(toStorage[0].authorization).toBeUndefined();
  });

  it('refuses a manifest whose digest is not the one asked for or claimed', async () => {
    behave = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-content-digest': sha256(Buffer.from('something else')),
      });
      res.end(img.manifest);
    };
    const claimed = await rejection(client().getManifest('r', 'latest'));
    expect(claimed.message).toMatch(/digest mismatch: registry claims sha256:/);
    const wanted = sha256(Buffer.from('wanted'));
    const asked = await rejection(client().getManifest('r', wanted));
    expect(asked.message).toBe(
      `reading manifest ${wanted} in ${host}/r: digest mismatch: asked for ${wanted}, got ${img.manifestDigest}`,
    );
  });

  it('retries a manifest GET after a 502', async () => {
    behave = (_req, res, n) => {
      if (n === 1) {
        res.writeHead(502);
        res.end('bad gateway');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' });
      res.end(img.manifest);
    };
    expect((await client().getManifest('r', 'latest')).digest).toBe(img.manifestDigest);
  });
});
