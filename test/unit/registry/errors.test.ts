import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, RegistryClient, redactHeaders } from '../../../src/image/registry/client.js';
import { httpError, parseErrorBody, transportError } from '../../../src/image/registry/errors.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isTransient,
  parseRetryAfter,
} from '../../../src/image/registry/retry.js';
import { rejection } from './fixtures.js';

const ctx = {
  registry: 'reg.example:5000',
  repository: 'team/app',
  action: 'reading manifest',
  ref: 'v1',
} as const;
const body = (code: string, message?: string) => JSON.stringify({ errors: [{ code, message }] });

describe('registry error mapping', () => {
  it('parses the distribution error body', () => {
    expect(parseErrorBody(body('DENIED', 'no'))).toEqual([{ code: 'DENIED', message: 'no' }]);
    expect(parseErrorBody('<html>')).toEqual([]);
    expect(parseErrorBody(undefined)).toEqual([]);
  });

  it('words each failure kind', () => {
    const m = (status: number, text?: string, extra = {}) => httpError(status, text, { ...ctx, ...extra });
    expect(m(404, body('MANIFEST_UNKNOWN', 'manifest unknown')).message).toBe(
      'reading manifest reg.example:5000/team/app: manifest unknown: v1',
    );
    expect(m(404, body('NAME_UNKNOWN')).message).toBe(
      'reading manifest reg.example:5000/team/app: repository team/app not found',
    );
    expect(m(404, '', { notFound: 'manifest' }).message).toMatch(/manifest unknown: v1$/);
    const unauth = m(401, '');
    expect(unauth.message).toBe(
      'reading manifest reg.example:5000/team/app: unauthorized: authentication required',
    );
    expect(unauth.hint).toContain("'berth login reg.example:5000'");
    expect(unauth.code).toBe('unauthorized');
    expect(m(403, body('DENIED', 'requested access to the resource is denied')).message).toMatch(
      /: denied: requested access to the resource is denied$/,
    );
    expect(m(429, '').message).toMatch(/: rate limited by reg.example:5000$/);
    expect(m(500, '').message).toMatch(/: unexpected HTTP status 500$/);
    expect(m(400, body('MANIFEST_INVALID', 'bad json')).message).toMatch(/: manifest_invalid: bad json$/);
  });

  it('words transport failures, with a TLS hint', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(transportError(refused, 'r:1').message).toBe('cannot reach r:1: connection refused');
    const agg = new AggregateError([refused], 'x');
    expect(transportError(agg, 'r:1').message).toBe('cannot reach r:1: connection refused');
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const e = transportError(tls, 'r:1');
    expect(e.code).toBe('tls');
    expect(e.hint).toContain('--tls-verify=false');
    expect(e.hint).toContain('registries.conf');
  });
});

describe('retry policy', () => {
  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('backs off exponentially up to a cap, honouring Retry-After', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 350 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, p))).toEqual([100, 200, 350, 350]);
    expect(backoffDelay(1, p, 2000)).toBe(2000);
  });

  it('knows transient errors', () => {
    expect(isTransient(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isTransient(new Error('plain'))).toBe(false);
  });
});

describe('client details', () => {
  it('redacts credentials from debug headers', () => {
    expect(redactHeaders({ Authorization: 'Basic abc', accept: 'x' })).toEqual({
      Authorization: '<redacted>',
      accept: 'x',
    });
  });

  it('treats loopback hosts as plain-HTTP registries', () => {
    expect(isLoopbackHost('localhost:5000')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]:5000')).toBe(true);
    expect(isLoopbackHost('registry.example.com:5000')).toBe(false);
    expect(isLoopbackHost('docker.io')).toBe(false);
  });
});

describe('TLS', () => {
  let dir: string;
  let server: Server;
  let host: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        res.setHeader('content-type', 'application/vnd.docker.distribution.manifest.v2+json');
        res.end(req.url === '/v2/' ? '{}' : '{"schemaVersion":2}');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `localhost:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an untrusted certificate with a hint, and accepts it with tlsVerify false', async () => {
    const strict = new RegistryClient({ host });
    const e = await rejection(strict.getManifest('a', 'latest'));
    expect(e.message).toMatch(new RegExp(`^cannot reach ${host}: TLS handshake failed: `));
    expect(e.hint).toContain('--tls-verify=false');
    await strict.close();
    const lax = new RegistryClient({ host, tlsVerify: false });
    expect((await lax.getManifest('a', 'latest')).bytes.toString()).toBe('{"schemaVersion":2}');
    await lax.close();
  });
});
