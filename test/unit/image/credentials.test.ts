import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuthOptions,
  authFilePaths,
  authFileForWrite,
  authKeysFor,
  getCredentials,
  helperGet,
  loginKey,
  removeAllCredentials,
  removeCredentials,
  saveCredentials,
} from '../../../src/image/credentials.js';
import { BerthError } from '../../../src/util/errors.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

let dir: string;
let env: NodeJS.ProcessEnv;
let opts: AuthOptions;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-cred-'));
  mkdirSync(join(dir, 'run'));
  mkdirSync(join(dir, 'home'));
  mkdirSync(join(dir, 'bin'));
  env = { HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'run'), PATH: join(dir, 'bin') };
  opts = { env };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeJson(path: string, doc: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(doc));
}

const runtimeAuth = () => join(dir, 'run/containers/auth.json');
const userAuth = () => join(dir, 'home/.config/containers/auth.json');
const dockerConfig = () => join(dir, 'home/.docker/config.json');

/** A fake docker-credential-test that keeps its secrets in a JSON file and logs its calls. */
function installHelper(name = 'test'): { store: string; log: string } {
  const store = join(dir, `${name}-store.json`);
  const log = join(dir, `${name}-calls.log`);
  const script = `#!${process.execPath}
const fs = require('fs');
const action = process.argv[2];
const input = fs.readFileSync(0, 'utf8');
fs.appendFileSync(${JSON.stringify(log)}, action + ' ' + input + '\\n');
const db = fs.existsSync(${JSON.stringify(store)}) ? JSON.parse(fs.readFileSync(${JSON.stringify(store)}, 'utf8')) : {};
const save = () => fs.writeFileSync(${JSON.stringify(store)}, JSON.stringify(db));
if (action === 'get') {
  const e = db[input.trim()];
  if (!e) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
  process.stdout.write(JSON.stringify({ ServerURL: input.trim(), Username: e.Username, Secret: e.Secret }));
} else if (action === 'store') {
  const d = JSON.parse(input);
  if (d.Username === 'fail') { process.stdout.write('cannot store ' + d.Secret + '\\n'); process.exit(3); }
  db[d.ServerURL] = { Username: d.Username, Secret: d.Secret }; save();
} else if (action === 'erase') {
  if (!db[input.trim()]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
  delete db[input.trim()]; save();
} else { process.exit(2); }
`;
  const path = join(dir, 'bin', `docker-credential-${name}`);
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return { store, log };
}

describe('keys and locations', () => {
  it('spells login keys as Podman does', () => {
    expect(loginKey('index.docker.io')).toBe('docker.io');
    expect(loginKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(loginKey('registry-1.docker.io')).toBe('docker.io');
    expect(loginKey('https://quay.io/')).toBe('quay.io');
    expect(loginKey('quay.io/ns/')).toBe('quay.io/ns');
    expect(loginKey('localhost:5000')).toBe('localhost:5000');
  });
  it('lists namespaced keys from most to least specific', () => {
    expect(authKeysFor('quay.io', 'a/b/c')).toEqual(['quay.io/a/b/c', 'quay.io/a/b', 'quay.io/a', 'quay.io']);
    expect(authKeysFor('index.docker.io', 'library/x')).toEqual([
      'docker.io/library/x',
      'docker.io/library',
      'docker.io',
    ]);
  });
  it('reads the runtime file, the user file, then Docker files, unless a file is named', () => {
    expect(authFilePaths(opts).map((s) => s.path)).toEqual([
      runtimeAuth(),
      userAuth(),
      dockerConfig(),
      join(dir, 'home/.dockercfg'),
    ]);
    expect(authFilePaths({ env: { ...env, REGISTRY_AUTH_FILE: '/x/a.json' } }).map((s) => s.path)).toEqual([
      '/x/a.json',
    ]);
    expect(authFilePaths({ env, authFile: '/y/b.json' }).map((s) => s.path)).toEqual(['/y/b.json']);
    expect(authFilePaths({ env: { ...env, DOCKER_CONFIG: '/dc' } })[2].path).toBe('/dc/config.json');
    expect(authFileForWrite({ env: { HOME: '/h', BERTH_HOST_UID: '1234' } })).toBe(
      '/run/containers/1234/auth.json',
    );
  });
});

describe('getCredentials', () => {
  it('decodes auth entries and prefers the first file with an entry', async () => {
    writeJson(runtimeAuth(), { auths: { 'quay.io': { auth: b64('runtime:pw1') } } });
    writeJson(dockerConfig(), {
      auths: {
        'quay.io': { auth: b64('docker:pw2') },
        'https://index.docker.io/v1/': { auth: b64('hub:p:w') },
      },
    });
    expect(await getCredentials('quay.io', undefined, opts)).toEqual({
      username: 'runtime',
      password: 'pw1',
    });
    // Passwords may contain colons: only the first one separates.
    expect(await getCredentials('docker.io', 'library/busybox', opts)).toEqual({
      username: 'hub',
      password: 'p:w',
    });
    expect(await getCredentials('registry-1.docker.io', undefined, opts)).toEqual({
      username: 'hub',
      password: 'p:w',
    });
    expect(await getCredentials('ghcr.io', undefined, opts)).toBeUndefined();
  });
  it('matches the longest namespaced key', async () => {
    writeJson(userAuth(), {
      auths: {
        'reg.io': { auth: b64('host:1') },
        'reg.io/team': { auth: b64('team:2') },
        'reg.io/team/app': { auth: b64('app:3') },
      },
    });
    expect(await getCredentials('reg.io', 'team/app', opts)).toEqual({ username: 'app', password: '3' });
    expect(await getCredentials('reg.io', 'team/other', opts)).toEqual({ username: 'team', password: '2' });
    expect(await getCredentials('reg.io', 'teamx/app', opts)).toEqual({ username: 'host', password: '1' });
    expect(await getCredentials('reg.io', undefined, opts)).toEqual({ username: 'host', password: '1' });
  });
  it('accepts URL-shaped keys and identity tokens', async () => {
    writeJson(dockerConfig(), {
      auths: { 'https://myreg.example:5000/v2/': { auth: '', identitytoken: 'tok-123' } },
    });
    expect(await getCredentials('myreg.example:5000', 'x', opts)).toEqual({ identityToken: 'tok-123' });
  });
  it('reads the legacy ~/.dockercfg', async () => {
    writeJson(join(dir, 'home/.dockercfg'), {
      'https://old.example/v1/': { auth: b64('old:pw'), email: 'x' },
    });
    expect(await getCredentials('old.example', undefined, opts)).toEqual({ username: 'old', password: 'pw' });
  });
  it('names a malformed file and never shows its content', async () => {
    writeFileSync(join(dir, 'run/bad.json'), '{"auths": {"quay.io": {"auth": "c2VjcmV0LXB3"}');
    const err = await getCredentials('quay.io', undefined, {
      env,
      authFile: join(dir, 'run/bad.json'),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect(err.message).toContain(join(dir, 'run/bad.json'));
    expect(err.message).not.toContain('c2VjcmV0');
    writeJson(runtimeAuth(), { auths: { 'quay.io': { auth: b64('no-colon-secret') } } });
    const err2 = await getCredentials('quay.io', undefined, opts).catch((e) => e);
    expect(err2.message).toContain(runtimeAuth());
    expect(err2.message).not.toContain('no-colon-secret');
  });
});

describe('credential helpers', () => {
  it('asks credHelpers and credsStore with the server on stdin', async () => {
    const h = installHelper();
    writeFileSync(
      h.store,
      JSON.stringify({
        'gcr.example': { Username: 'u1', Secret: 's1' },
        'https://index.docker.io/v1/': { Username: '<token>', Secret: 'refresh' },
      }),
    );
    writeJson(dockerConfig(), {
      credHelpers: { 'gcr.example': 'test' },
      credsStore: 'test',
      auths: { 'https://index.docker.io/v1/': {} },
    });
    expect(await getCredentials('gcr.example', 'p/x', opts)).toEqual({ username: 'u1', password: 's1' });
    expect(await getCredentials('docker.io', 'library/x', opts)).toEqual({ identityToken: 'refresh' });
    expect(await getCredentials('nothing.example', undefined, opts)).toBeUndefined();
    expect(readFileSync(h.log, 'utf8')).toContain('get https://index.docker.io/v1/');
  });
  it('reports a missing helper by name', async () => {
    writeJson(dockerConfig(), { credsStore: 'absent' });
    await expect(getCredentials('x.example', undefined, opts)).rejects.toThrow(
      'docker-credential-absent: not found in PATH',
    );
  });
  it('stores and erases through a credHelpers entry of the target file, hiding the secret on failure', async () => {
    const h = installHelper();
    const authFile = join(dir, 'cfg.json');
    writeJson(authFile, { credHelpers: { 'reg.example': 'test' } });
    const o = { env, authFile };
    await saveCredentials('reg.example', 'me', 'pa55', o);
    expect(JSON.parse(readFileSync(h.store, 'utf8'))['reg.example']).toEqual({
      Username: 'me',
      Secret: 'pa55',
    });
    expect(JSON.parse(readFileSync(authFile, 'utf8')).auths).toBeUndefined();
    expect(await getCredentials('reg.example', undefined, o)).toEqual({ username: 'me', password: 'pa55' });
    const err = await saveCredentials('reg.example', 'fail', 'topsecret', o).catch((e) => e);
    expect(err.message).toMatch(/docker-credential-test store: exit status 3/);
    expect(err.message).not.toContain('topsecret');
    expect(await removeCredentials('reg.example', o)).toBe(true);
    expect(await removeCredentials('reg.example', o)).toBe(false);
    expect(await helperGet('test', 'reg.example', env)).toBeUndefined();
  });
});

describe('save and remove', () => {
  it('round-trips through the runtime auth.json with safe permissions', async () => {
    await saveCredentials('index.docker.io', 'alice', 's3cret', opts);
    await saveCredentials('localhost:5000', 'bob', 'pw', opts);
    await saveCredentials('quay.io/team', 'carol', 'pw2', opts);
    const path = runtimeAuth();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'run/containers')).mode & 0o777).toBe(0o700);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(doc.auths).sort()).toEqual(['docker.io', 'localhost:5000', 'quay.io/team']);
    expect(await getCredentials('docker.io', 'library/busybox', opts)).toEqual({
      username: 'alice',
      password: 's3cret',
    });
    expect(await getCredentials('quay.io', 'team/app', opts)).toEqual({ username: 'carol', password: 'pw2' });
    expect(await getCredentials('quay.io', 'other/app', opts)).toBeUndefined();

    expect(await removeCredentials('docker.io', opts)).toBe(true);
    expect(await removeCredentials('docker.io', opts)).toBe(false);
    expect(await getCredentials('docker.io', undefined, opts)).toBeUndefined();
    expect(await getCredentials('localhost:5000', undefined, opts)).toEqual({
      username: 'bob',
      password: 'pw',
    });
    expect(readFileSync(path, 'utf8')).not.toContain('.tmp');
    expect(existsSync(path)).toBe(true);
  });
  it('keeps other settings of the file and removes URL-shaped spellings with the host', async () => {
    const authFile = join(dir, 'docker/config.json');
    writeJson(authFile, {
      auths: { 'https://index.docker.io/v1/': { auth: b64('old:x') }, 'quay.io': { auth: b64('q:y') } },
      psFormat: 'table {{.ID}}',
    });
    const o = { env, authFile };
    await saveCredentials('docker.io', 'new', 'z', o);
    expect(await getCredentials('docker.io', undefined, o)).toEqual({ username: 'new', password: 'z' });
    expect(await removeCredentials('docker.io', o)).toBe(true);
    expect(await getCredentials('docker.io', undefined, o)).toBeUndefined();
    const doc = JSON.parse(readFileSync(authFile, 'utf8'));
    expect(doc.psFormat).toBe('table {{.ID}}');
    expect(Object.keys(doc.auths)).toEqual(['quay.io']);
    await removeAllCredentials(o);
    const after = JSON.parse(readFileSync(authFile, 'utf8'));
    expect(after).toEqual({ auths: {}, psFormat: 'table {{.ID}}' });
  });
  it('writes to $REGISTRY_AUTH_FILE when set', async () => {
    const file = join(dir, 'env-auth.json');
    await saveCredentials('r.example', 'u', 'p', { env: { ...env, REGISTRY_AUTH_FILE: file } });
    expect(JSON.parse(readFileSync(file, 'utf8')).auths['r.example'].auth).toBe(b64('u:p'));
    expect(existsSync(runtimeAuth())).toBe(false);
  });
  it('does nothing for a missing file', async () => {
    expect(await removeCredentials('x.example', opts)).toBe(false);
    await removeAllCredentials(opts);
    expect(existsSync(runtimeAuth())).toBe(false);
  });
});
