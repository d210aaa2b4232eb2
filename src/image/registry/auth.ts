import { BerthError } from '../../util/errors.js';
import { loginHint, parseErrorBody } from './errors.js';
import type { Challenge } from './www-authenticate.js';

/**
 * Registry credentials and the bearer-token exchange of the distribution spec's token
 * authentication (GET <realm>?service=...&scope=..., or the OAuth2 refresh-token POST when
 * the user holds an identity token).
 */

export type Credentials = { username: string; password: string } | { identityToken: string };

export function basicAuth(creds: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`, 'utf8').toString('base64')}`;
}

export function pullScope(repo: string): string {
  return `repository:${repo}:pull`;
}

export function pushScope(repo: string): string {
  return `repository:${repo}:pull,push`;
}

/** Scopes named in a challenge (`scope="a b"`), merged with ours. */
export function mergeScopes(ours: string[], challenge: Challenge): string[] {
  const theirs = (challenge.params.scope ?? '').split(' ').filter(Boolean);
  return [...new Set([...ours, ...theirs])];
}

export function tokenCacheKey(challenge: Challenge, scopes: string[]): string {
  return [challenge.params.realm ?? '', challenge.params.service ?? '', ...[...scopes].sort()].join('\n');
}

/** The minimal HTTP this module needs, so it can be driven by the client's agent. */
export type TokenHttp = (
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body?: string,
) => Promise<{ status: number; text: string }>;

export interface TokenRequest {
  challenge: Challenge;
  scopes: string[];
  credentials: Credentials | undefined;
  registry: string;
  http: TokenHttp;
}

/** Fetches a bearer token; a 401/403 from the token server means bad credentials. */
export async function fetchToken(req: TokenRequest): Promise<string> {
  const { challenge, scopes, credentials, registry } = req;
  const realm = challenge.params.realm;
  const what = `authenticating with ${registry}`;
  let url: URL;
  try {
    url = new URL(realm ?? '');
  } catch {
    throw new BerthError(`${what}: the registry's token realm ${JSON.stringify(realm ?? '')} is not a URL`);
  }
  let res: { status: number; text: string };
  if (credentials && 'identityToken' in credentials) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: 'berth',
      service: challenge.params.service ?? '',
    });
    if (scopes.length > 0) form.set('scope', scopes.join(' '));
    res = await req.http(
      'POST',
      url,
      { 'content-type': 'application/x-www-form-urlencoded' },
      form.toString(),
    );
  } else {
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const s of scopes) url.searchParams.append('scope', s);
    if (credentials) url.searchParams.set('account', credentials.username);
    res = await req.http('GET', url, credentials ? { authorization: basicAuth(credentials) } : {});
  }
  if (res.status === 401 || res.status === 403) {
    const why =
      tokenErrorMessage(res.text) ??
      (credentials ? 'incorrect username or password' : 'authentication required');
    throw new BerthError(`${what}: unauthorized: ${why}`, {
      code: 'unauthorized',
      hint: loginHint(registry),
    });
  }
  if (res.status !== 200) {
    throw new BerthError(`${what}: the token server answered HTTP ${res.status}`, { code: 'registry' });
  }
  let json: { token?: unknown; access_token?: unknown };
  try {
    json = JSON.parse(res.text);
  } catch {
    throw new BerthError(`${what}: the token server's answer is not JSON`, { code: 'registry' });
  }
  const token = typeof json.token === 'string' && json.token ? json.token : json.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new BerthError(`${what}: the token server's answer holds no token`, { code: 'registry' });
  }
  return token;
}

function tokenErrorMessage(text: string): string | undefined {
  const fromErrors = parseErrorBody(text)[0]?.message;
  if (fromErrors) return fromErrors;
  try {
    const j = JSON.parse(text) as { details?: unknown; error_description?: unknown };
    if (typeof j.details === 'string') return j.details;
    if (typeof j.error_description === 'string') return j.error_description;
  } catch {
    // not JSON: no message
  }
  return undefined;
}
