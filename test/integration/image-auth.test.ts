import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, type BerthResult } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { assertNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore } from '../harness/store.js';
import { assertStoreConsistent, storeState } from './image-helpers.js';

const ctx = harness();
const priv = ctx.images.privateBusybox;
let store: TestStore;
let authFile: string;
const outputs: BerthResult[] = [];

async function run(args: string[], opts: { expectExit?: number; input?: string } = {}): Promise<BerthResult> {
  const r = await berth(['--log-level', 'debug', ...args], { store, ...opts });
  outputs.push(r);
  return r;
}

beforeAll(() => {
  store = newTestStore('image-auth');
  authFile = join(store.dir, 'auth.json');
});
afterAll(async () => {
  assertNoLeaks(store);
  await store.cleanup();
});

describe('a registry with htpasswd auth', () => {
  it('refuses a pull before login, clearly and leaving nothing', async () => {
    const r = await run(['pull', '--authfile', authFile, priv.ref], { expectExit: 125 });
    const err = r.stderr.split('\n').filter((l) => l.startsWith('Error: '));
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/unauthorized|authentication required/i);
    expect(err[0]).toContain(ctx.authRegistry);
    expect(r.stderr).toMatch(/berth login/);
    const st = storeState(store);
    expect([st.images, st.layers, st.blobs]).toEqual([[], [], []]);
  });

  it('login with a wrong password fails and saves nothing', async () => {
    const r = await run(
      ['login', '--authfile', authFile, '-u', ctx.authUser, '--password-stdin', ctx.authRegistry],
      {
        expectExit: 125,
        input: 'wrong-password\n',
      },
    );
    expect(r.stderr).toMatch(/^Error: .*(unauthorized|invalid username\/password|authentication)/im);
    expect(r.stdout).not.toContain('Login Succeeded');
    expect(existsSync(authFile) ? readFileSync(authFile, 'utf8') : '').not.toContain(ctx.authRegistry);
  });

  it('login --password-stdin saves the credentials; pull works; logout removes them', async () => {
    const r = await run(
      ['login', '--authfile', authFile, '-u', ctx.authUser, '--password-stdin', ctx.authRegistry],
      {
        input: `${ctx.authPassword}\n`,
      },
    );
    expect(r.stdout).toBe('Login Succeeded\n');
    const saved = JSON.parse(readFileSync(authFile, 'utf8'));
    const entry = saved.auths[ctx.authRegistry];
    expect(Buffer.from(entry.auth, 'base64').toString()).toBe(`${ctx.authUser}:${ctx.authPassword}`);

    const p = await run(['pull', '-q', '--authfile', authFile, priv.ref]);
    expect(p.stdout.trim()).toBe(priv.configDigest.slice(7));
    assertStoreConsistent(store);

    const out = await run(['logout', '--authfile', authFile, ctx.authRegistry]);
    expect(out.stdout).toBe(`Removed login credentials for ${ctx.authRegistry}\n`);
    expect(JSON.parse(readFileSync(authFile, 'utf8')).auths?.[ctx.authRegistry]).toBeUndefined();
    const again = await run(['logout', '--authfile', authFile, ctx.authRegistry], { expectExit: 125 });
    expect(again.stderr).toMatch(/^Error: .*not logged in/m);

    // Credentials gone: a new pull of something not in the store fails again.
    await run(['rmi', priv.ref]);
    await run(['pull', '--authfile', authFile, priv.ref], { expectExit: 125 });
  });

  it('uses the default auth file and --creds', async () => {
    const r = await run(['login', '-u', ctx.authUser, '-p', ctx.authPassword, ctx.authRegistry]);
    expect(r.stdout).toBe('Login Succeeded\n');
    expect(r.stderr).toMatch(/WARNING! Using --password via the CLI is insecure/);
    expect(readFileSync(join(ctx.runtimeDir, 'containers', 'auth.json'), 'utf8')).toContain(ctx.authRegistry);
    await run(['pull', '-q', priv.ref]);
    await run(['rmi', priv.ref]);
    await run(['logout', ctx.authRegistry]);
    await run(['pull', '-q', priv.ref], { expectExit: 125 });
    const c = await run(['pull', '-q', '--creds', `${ctx.authUser}:${ctx.authPassword}`, priv.ref]);
    expect(c.stdout.trim()).toBe(priv.configDigest.slice(7));
    await run(['rmi', priv.ref]);
  });

  it('never prints the password, even at debug level', () => {
    expect(outputs.length).toBeGreaterThan(5);
    const b64 = Buffer.from(`${ctx.authUser}:${ctx.authPassword}`).toString('base64');
    for (const r of outputs) {
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(ctx.authPassword);
        expect(text).not.toContain(b64);
      }
    }
  });
});
