import { removeAllCredentials, removeCredentials, saveCredentials } from '../image/credentials.js';
import { parseReference } from '../image/reference.js';
import { isInsecure } from '../image/registries-conf.js';
import { RegistryClient } from '../image/registry/client.js';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import { VERSION } from '../version.js';
import type { EngineContext } from './context.js';
import { RegistryAccess } from './registry-access.js';

export interface LoginOptions {
  registry: string;
  username: string;
  password: string;
  authfile?: string;
  tlsVerify?: boolean;
}

/** `host[:port][/namespace]` as login accepts it; URLs are reduced to their host as Docker does. */
export function loginTarget(input: string): { key: string; host: string } {
  let s = input
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  if (s.endsWith('/v1') || s.endsWith('/v2')) s = s.slice(0, -3);
  if (!s) throw new BerthError('login: the registry name is empty');
  const host = s.split('/')[0];
  try {
    parseReference(`${host}/x`);
  } catch {
    throw new BerthError(`login: invalid registry "${input}"`);
  }
  return { key: s, host };
}

/** Checks the credentials against the registry before saving them. */
export async function login(ctx: EngineContext, opts: LoginOptions): Promise<void> {
  const { key, host } = loginTarget(opts.registry);
  if (!opts.username) throw new BerthError('login: a username is required');
  if (!opts.password) throw new BerthError('login: a password is required');
  const access = new RegistryAccess(ctx, { tlsVerify: opts.tlsVerify });
  const insecure = opts.tlsVerify !== undefined ? !opts.tlsVerify : isInsecure(access.registries(), host);
  const client = new RegistryClient({
    host,
    insecure,
    tlsVerify: opts.tlsVerify ?? !insecure,
    userAgent: `berth/${VERSION}`,
    credentials: async () => ({ username: opts.username, password: opts.password }),
    debug,
  });
  try {
    await client.checkLogin();
  } finally {
    await client.close();
  }
  await saveCredentials(key, opts.username, opts.password, { authFile: opts.authfile });
}

export async function logout(
  _ctx: EngineContext,
  opts: { registry?: string; all?: boolean; authfile?: string },
): Promise<string> {
  if (opts.all) {
    await removeAllCredentials({ authFile: opts.authfile });
    return 'Removed login credentials for all registries';
  }
  if (!opts.registry) throw new BerthError('logout: a registry is required (or --all)');
  const { key } = loginTarget(opts.registry);
  const removed = await removeCredentials(key, { authFile: opts.authfile });
  if (!removed) throw new BerthError(`logout: not logged into ${key}`);
  return `Removed login credentials for ${key}`;
}
