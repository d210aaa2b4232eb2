import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaType } from '../../../src/image/manifest.js';
import { type Credentials, RegistryClient } from '../../../src/image/registry/client.js';
import { collect, makeImage, rejection, sha256 } from './fixtures.js';
import { startRegistry, type TestRegistry } from './registry-server.js';

/**
 * The distribution token flow: a loopback server that hands out bearer tokens for scopes
 * and guards a real docker-registry behind it, as a token-auth registry would.
 */
const USER = { username: 'bob', password: 'hunter2-long' };
const REFRESH = 'refresh-token-for-bob';

interface TokenLog {
  method: string;
  scopes: string[];
  user?: string;
}

function startTokenProxy(upstream: string) {
  const grants = new Map<string, string[]>();
  const log: TokenLog[] = [];
  let useAccessToken = false;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === '/token') return token(req, res, url);
    const m = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(url.pathname);
    const action = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'push';
    const need = m ? `repository:${m[1]}:${action}` : undefined;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const granted = bearer ? grants.get(bearer) : undefined;
    const ok = granted !== undefined && (!need || granted.some((g) => covers(g, need)));
    if (!ok) {
      const scope = m ? `,scope="repository:${m[1]}:${action === 'pull' ? 'pull' : 'pull,push'}"` : '';
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="test-registry"${scope}`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      req.resume();
      return;
    }
    const { authorization: _a, ...headers } = req.headers;
    const up = request({
      host: upstream.split(':')[0],
      port: upstream.split(':')[1],
      path: req.url,
      method: req.method,
      headers,
    });
    up.on('response', (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  }

  async function token(req: IncomingMessage, res: ServerResponse, url: URL) {
    let scopes = url.searchParams.getAll('scope');
    let user: string | undefined;
    if (req.method === 'POST') {
      const form = new URLSearchParams(String(await collect(req)));
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== REFRESH)
        return deny(res);
      user = USER.username;
    } else if (req.headers.authorization) {
      const [u, p] = Buffer.from(req.headers.authorization.replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':');
      if (u !== USER.username || p !== USER.password) return deny(res);
      user = u;
    }
    // Anonymous users may pull, never push.
    if (!user && scopes.some((s) => s.endsWith('push')))
      scopes = scopes.map((s) => s.replace(/:pull,push$/, ':pull'));
    log.push({ method: req.method ?? '', scopes, ...(user && { user }) });
    const t = randomUUID();
    grants.set(t, scopes.length > 0 ? scopes : ['registry:base']);
    useAccessToken = !useAccessToken;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(useAccessToken ? { access_token: t, expires_in: 300 } : { token: t }));
  }

  function deny(res: ServerResponse) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ details: 'incorrect username or password' }));
  }

  function covers(granted: string, need: string): boolean {
    const [gType, gName, gActions] = granted.split(':');
    const [nType, nName, nAction] = need.split(':');
    return gType === nType && gName === nName && gActions.split(',').includes(nAction);
  }

  return new Promise<{ host: string; log: TokenLog[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        host: `127.0.0.1:${port}`,
        log,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

describe('RegistryClient bearer-token flow', () => {
  let reg: TestRegistry;
  let proxy: Awaited<ReturnType<typeof startTokenProxy>>;
  const clients: RegistryClient[] = [];
  const client = (creds?: Credentials) => {
    const c = new RegistryClient({ host: proxy.host, credentials: async () => creds, retry: { retries: 1 } });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    reg = await startRegistry();
    proxy = await startTokenProxy(reg.host);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy?.close();
    await reg?.stop();
  });

  it('fetches tokens per scope with credentials, caches them, and pushes and pulls', async () => {
    const c = client(USER);
    const img = makeImage(50_000);
    await c.uploadBlob('tok/app', sha256(img.config), img.config, img.config.length);
    await c.uploadBlob('tok/app', sha256(img.layer), img.layer, img.layer.length);
    await c.putManifest('tok/app', 'v1', img.manifest, MediaType.DockerManifest);
    const pushTokens = proxy.log.length;
    expect(proxy.log.every((l) => l.user === 'bob' && l.method === 'GET')).toBe(true);
    expect(proxy.log.some((l) => l.scopes.includes('repository:tok/app:pull,push'))).toBe(true);

    expect((await c.getManifest('tok/app', 'v1')).digest).toBe(img.manifestDigest);
    expect((await collect(c.fetchBlob('tok/app', sha256(img.layer)))).equals(img.layer)).toBe(true);
    await c.headManifest('tok/app', 'v1');
    // One new token for the pull scope, then reused.
    expect(proxy.log.length).toBe(pushTokens + 1);
    expect(proxy.log.at(-1)?.scopes).toEqual(['repository:tok/app:pull']);
  });

  it('pulls anonymously but cannot push anonymously', async () => {
    const anon = client(undefined);
    expect((await anon.getManifest('tok/app', 'v1')).mediaType).toBe(MediaType.DockerManifest);
    expect(proxy.log.at(-1)).toEqual({ method: 'GET', scopes: ['repository:tok/app:pull'] });
    const b = Buffer.from('x');
    const e = await rejection(anon.uploadBlob('tok/app', sha256(b), b, 1));
    expect(e.message).toBe(`uploading blob ${proxy.host}/tok/app: unauthorized: authentication required`);
    expect(e.code).toBe('unauthorized');
  });

  it('reports a refused password as unauthorized, naming the repository', async () => {
    const bad = client({ username: 'bob', password: 'nope' });
    const e = await rejection(bad.getManifest('tok/app', 'v1'));
    expect(e.message).toBe(
      `reading manifest ${proxy.host}/tok/app: unauthorized: incorrect username or password`,
    );
    expect(e.hint).toContain(`berth login ${proxy.host}`);
    const login = await rejection(bad.checkLogin());
    expect(login.message).toBe(`logging in to ${proxy.host}: unauthorized: incorrect username or password`);
  });

  it('logs in with the token dance and with an identity token', async () => {
    await client(USER).checkLogin();
    await client({ identityToken: REFRESH }).checkLogin();
    expect(proxy.log.at(-1)?.method).toBe('POST');
    const id = client({ identityToken: REFRESH });
    expect((await id.getManifest('tok/app', 'v1')).mediaType).toBe(MediaType.DockerManifest);
    expect(proxy.log.at(-1)).toEqual({ method: 'POST', scopes: ['repository:tok/app:pull'], user: 'bob' });
    const e = await rejection(client({ identityToken: 'stale' }).checkLogin());
    expect(e.message).toMatch(/unauthorized: incorrect username or password$/);
  });
});
