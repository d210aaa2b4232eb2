import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { hostIdentity } from '../sys/paths.js';
import { BerthError } from '../util/errors.js';
import { canonicalRegistry, DOCKER_HUB, DOCKER_HUB_AUTH_KEY, DOCKER_HUB_LEGACY } from './reference.js';

/**
 * Registry credentials in the files Podman and Docker share (containers-auth.json(5) and
 * ~/.docker/config.json), and in docker-credential-* helpers. Secrets never appear in errors.
 */

export type Credentials = { username: string; password: string } | { identityToken: string };

export interface AuthOptions {
  /** --authfile: the only file read, and the file written. */
  authFile?: string;
  /** Environment for file locations and for credential helpers (PATH); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface AuthFileSource {
  path: string;
  /** ~/.dockercfg: entries at the top level, keys are hosts or URLs. */
  legacyFormat: boolean;
}

interface AuthEntry {
  auth?: unknown;
  identitytoken?: unknown;
}

interface AuthFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [other: string]: unknown;
}

// ---- Locations ----

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

/** Where `podman login` writes: --authfile, $REGISTRY_AUTH_FILE, else the runtime dir's auth.json. */
export function authFileForWrite(opts: AuthOptions = {}): string {
  const env = opts.env ?? process.env;
  if (opts.authFile) return opts.authFile;
  if (env.REGISTRY_AUTH_FILE) return env.REGISTRY_AUTH_FILE;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json');
  return `/run/containers/${hostIdentity(env).uid}/auth.json`;
}

/**
 * The files read for credentials, in order (containers/image's order): the write location,
 * then, unless a file was named explicitly, the user's containers auth.json, Docker's
 * config.json ($DOCKER_CONFIG honoured) and the legacy ~/.dockercfg.
 */
export function authFilePaths(opts: AuthOptions = {}): AuthFileSource[] {
  const env = opts.env ?? process.env;
  const first: AuthFileSource = { path: authFileForWrite(opts), legacyFormat: false };
  if (opts.authFile || env.REGISTRY_AUTH_FILE) return [first];
  const home = homeOf(env);
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  const dockerDir = env.DOCKER_CONFIG || join(home, '.docker');
  return [
    first,
    { path: join(configHome, 'containers', 'auth.json'), legacyFormat: false },
    { path: join(dockerDir, 'config.json'), legacyFormat: false },
    { path: join(home, '.dockercfg'), legacyFormat: true },
  ];
}

// ---- Keys (pure) ----

/** containers/image's normalizeRegistry: Docker Hub's auth entries live under index.docker.io. */
function authHost(registry: string): string {
  return canonicalRegistry(registry) === DOCKER_HUB ? DOCKER_HUB_LEGACY : registry;
}

/** A file key as the host it stands for: URLs (and every legacy key) are cut to their host. */
export function normalizeAuthKey(key: string, legacyFormat = false): string {
  let stripped = key.replace(/^https?:\/\//, '');
  if (legacyFormat || stripped !== key) stripped = stripped.split('/')[0];
  return authHost(stripped);
}

/** The key `podman login <registry>` writes: no scheme or trailing slash, docker.io spelled so. */
export function loginKey(registry: string): string {
  const stripped = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const slash = stripped.indexOf('/');
  const host = slash === -1 ? stripped : stripped.slice(0, slash);
  if (stripped.startsWith(`${DOCKER_HUB_LEGACY}/v1`) || host === '') return DOCKER_HUB;
  return canonicalRegistry(host) + (slash === -1 ? '' : stripped.slice(slash));
}

/** Keys to try, most specific first: `host/ns/repo`, `host/ns`, `host`. */
export function authKeysFor(registry: string, repository?: string): string[] {
  const base = loginKey(registry);
  const full = repository ? `${base}/${repository}` : base;
  const parts = full.split('/');
  const keys: string[] = [];
  for (let n = parts.length; n >= 1; n--) keys.push(parts.slice(0, n).join('/'));
  return keys;
}

/** What a credential helper is asked about: Docker Hub keeps its historical URL. */
function helperServer(host: string): string {
  return canonicalRegistry(host) === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : host;
}

function fileError(path: string, why: string): BerthError {
  return new BerthError(`reading auth file ${path}: ${why}`);
}

/** Decodes one entry; undefined for an empty one (Docker writes `{}` when a helper holds the secret). */
export function decodeAuthEntry(path: string, key: string, entry: AuthEntry): Credentials | undefined {
  if (typeof entry !== 'object' || entry === null)
    throw fileError(path, `the entry for ${key} is not an object`);
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { identityToken: entry.identitytoken };
  }
  if (entry.auth === undefined || entry.auth === '') return undefined;
  if (typeof entry.auth !== 'string') throw fileError(path, `the "auth" of ${key} is not a string`);
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw fileError(path, `the "auth" of ${key} is not base64 of "user:password"`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Parses a file's text; the text never reaches a message (it holds secrets). */
export function parseAuthFile(path: string, text: string, legacyFormat = false): AuthFile {
  if (text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw fileError(path, 'not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw fileError(path, 'not a JSON object');
  if (legacyFormat) return { auths: doc as Record<string, AuthEntry> };
  const file = doc as AuthFile;
  if (
    file.auths !== undefined &&
    (typeof file.auths !== 'object' || file.auths === null || Array.isArray(file.auths))
  ) {
    throw fileError(path, '"auths" is not an object');
  }
  if (file.credHelpers !== undefined && (typeof file.credHelpers !== 'object' || file.credHelpers === null)) {
    throw fileError(path, '"credHelpers" is not an object');
  }
  if (file.credsStore !== undefined && typeof file.credsStore !== 'string') {
    throw fileError(path, '"credsStore" is not a string');
  }
  return file;
}

export type AuthLookup =
  | { kind: 'credentials'; credentials: Credentials; key: string }
  | { kind: 'helper'; helper: string; server: string };

/**
 * What one file says about a registry, in containers/image's order: a credHelpers entry for the
 * host; an auths entry for the longest matching `host[/namespace…]` key; an entry whose key
 * normalizes to the host (URLs, Docker Hub's `https://index.docker.io/v1/`); then credsStore.
 */
export function lookupAuth(
  file: AuthFile,
  path: string,
  registry: string,
  repository?: string,
  legacyFormat = false,
): AuthLookup | undefined {
  const keys = authKeysFor(registry, repository);
  const host = keys[keys.length - 1];
  const wanted = authHost(host);
  for (const [k, helper] of Object.entries(file.credHelpers ?? {})) {
    if (typeof helper === 'string' && helper !== '' && normalizeAuthKey(k, true) === wanted) {
      return { kind: 'helper', helper, server: helperServer(host) };
    }
  }
  const auths = file.auths ?? {};
  const candidates = legacyFormat ? [host] : keys;
  for (const key of candidates) {
    if (!Object.hasOwn(auths, key)) continue;
    const credentials = decodeAuthEntry(path, key, auths[key]);
    if (credentials) return { kind: 'credentials', credentials, key };
  }
  for (const [k, entry] of Object.entries(auths)) {
    if (candidates.includes(k) || normalizeAuthKey(k, legacyFormat) !== wanted) continue;
    const credentials = decodeAuthEntry(path, k, entry);
    if (credentials) return { kind: 'credentials', credentials, key: k };
  }
  if (file.credsStore) return { kind: 'helper', helper: file.credsStore, server: helperServer(host) };
  return undefined;
}

// ---- Credential helpers ----

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('<redacted>');
  return out;
}

interface HelperResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runHelper(
  helper: string,
  action: string,
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<HelperResult> {
  const command = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [action], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        reject(
          new BerthError(`credential helper ${command}: not found in PATH`, {
            hint: 'install the helper, or remove it from credHelpers/credsStore in your auth file',
          }),
        );
      } else reject(new BerthError(`credential helper ${command}: ${e.message}`));
    });
    child.on('close', (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
    // A helper that exits without reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

function helperFailure(helper: string, action: string, r: HelperResult, secrets: string[]): BerthError {
  const said = redact((r.stdout.trim() || r.stderr.trim()).split('\n')[0] ?? '', secrets).slice(0, 200);
  return new BerthError(
    `credential helper docker-credential-${helper} ${action}: exit status ${r.code}${said ? `: ${said}` : ''}`,
  );
}

function isNotFound(r: HelperResult): boolean {
  return /credentials not found/i.test(r.stdout) || /credentials not found/i.test(r.stderr);
}

/** Runs `docker-credential-<helper> get`; undefined when it has nothing for the server. */
export async function helperGet(
  helper: string,
  server: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | undefined> {
  const r = await runHelper(helper, 'get', server, env);
  if (r.code !== 0) {
    if (isNotFound(r)) return undefined;
    throw helperFailure(helper, 'get', r, []);
  }
  let doc: { Username?: unknown; Secret?: unknown };
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new BerthError(`credential helper docker-credential-${helper} get: output is not valid JSON`);
  }
  if (typeof doc.Username !== 'string' || typeof doc.Secret !== 'string') {
    throw new BerthError(
      `credential helper docker-credential-${helper} get: output lacks Username or Secret`,
    );
  }
  if (doc.Secret === '') return undefined;
  // Docker's convention: a secret stored under the user "<token>" is an identity (refresh) token.
  if (doc.Username === '<token>') return { identityToken: doc.Secret };
  return { username: doc.Username, password: doc.Secret };
}

async function helperStore(
  helper: string,
  server: string,
  username: string,
  secret: string,
  env: NodeJS.ProcessEnv,
) {
  const input = JSON.stringify({ ServerURL: server, Username: username, Secret: secret });
  const r = await runHelper(helper, 'store', input, env);
  if (r.code !== 0) throw helperFailure(helper, 'store', r, [secret]);
}

async function helperErase(helper: string, server: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const r = await runHelper(helper, 'erase', server, env);
  if (r.code === 0) return true;
  if (isNotFound(r)) return false;
  throw helperFailure(helper, 'erase', r, []);
}

// ---- Files ----

async function readAuthFile(source: AuthFileSource): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(source.path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fileError(source.path, (e as Error).message);
  }
  return parseAuthFile(source.path, text, source.legacyFormat);
}

/** Temp file + fsync + rename, mode 0600, the directory created 0700: never a half-written file. */
async function writeAuthFile(path: string, doc: AuthFile): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.auth.json.tmp`);
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(`${JSON.stringify(doc, null, '\t')}\n`);
      await fh.sync();
    } catch (e) {
      await fh.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    try {
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    try {
      const dfd = openSync(dir, 'r');
      try {
        fsyncSync(dfd);
      } finally {
        closeSync(dfd);
      }
    } catch {
      // Durability of the rename is best effort; the file itself is complete either way.
    }
  } catch (e) {
    throw new BerthError(`writing auth file ${path}: ${(e as Error).message}`);
  }
}

// ---- API ----

/**
 * Credentials for `registry` (host[:port], docker.io aliases accepted) and optionally the
 * repository being accessed (namespaced keys match it). The first file with an entry wins.
 */
export async function getCredentials(
  registry: string,
  repository?: string,
  opts: AuthOptions = {},
): Promise<Credentials | undefined> {
  const env = opts.env ?? process.env;
  for (const source of authFilePaths(opts)) {
    const file = await readAuthFile(source);
    if (!file) continue;
    const found = lookupAuth(file, source.path, registry, repository, source.legacyFormat);
    if (!found) continue;
    if (found.kind === 'credentials') return found.credentials;
    const fromHelper = await helperGet(found.helper, found.server, env);
    if (fromHelper) return fromHelper;
  }
  return undefined;
}

/** `berth login`: stores under `registry` (host or host/namespace) in the write location. */
export async function saveCredentials(
  registry: string,
  username: string,
  password: string,
  opts: AuthOptions = {},
): Promise<void> {
  const env = opts.env ?? process.env;
  const path = authFileForWrite(opts);
  const key = loginKey(registry);
  if (username.includes(':'))
    throw new BerthError(`saving credentials for ${key}: the username contains ":"`);
  const file = (await readAuthFile({ path, legacyFormat: false })) ?? {};
  const host = key.split('/')[0];
  const helper = Object.entries(file.credHelpers ?? {}).find(
    ([k]) => normalizeAuthKey(k, true) === authHost(host),
  );
  if (helper && key === host) {
    await helperStore(helper[1], helperServer(host), username, password, env);
    return;
  }
  const auths = { ...(file.auths ?? {}) };
  auths[key] = { auth: Buffer.from(`${username}:${password}`).toString('base64') };
  await writeAuthFile(path, { ...file, auths });
}

/** `berth logout <registry>`: true if something was removed. */
export async function removeCredentials(registry: string, opts: AuthOptions = {}): Promise<boolean> {
  const env = opts.env ?? process.env;
  const path = authFileForWrite(opts);
  const key = loginKey(registry);
  const file = await readAuthFile({ path, legacyFormat: false });
  if (!file) return false;
  const host = key.split('/')[0];
  let removed = false;
  const helper = Object.entries(file.credHelpers ?? {}).find(
    ([k]) => normalizeAuthKey(k, true) === authHost(host),
  );
  if (helper && key === host) removed = await helperErase(helper[1], helperServer(host), env);
  const auths = { ...(file.auths ?? {}) };
  for (const k of Object.keys(auths)) {
    // A host key also takes URL-shaped spellings of that host with it (Docker Hub's /v1/ key).
    if (k === key || (key === host && normalizeAuthKey(k) === authHost(host))) {
      delete auths[k];
      removed = true;
    }
  }
  if (removed) await writeAuthFile(path, { ...file, auths });
  return removed;
}

/** `berth logout --all`: empties the write location's auths, keeping its other settings. */
export async function removeAllCredentials(opts: AuthOptions = {}): Promise<void> {
  const path = authFileForWrite(opts);
  const file = await readAuthFile({ path, legacyFormat: false });
  if (!file?.auths || Object.keys(file.auths).length === 0) return;
  await writeAuthFile(path, { ...file, auths: {} });
}
