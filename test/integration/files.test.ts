import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, repoRoot, runAs } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { assertNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore, uniqueName } from '../harness/store.js';
import { removeAll, settle } from './containers-helpers.js';

/** cp, diff, commit, export, import, mount/unmount as the unprivileged user. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
let store: TestStore;
/** A directory on the host owned by the test user, for files going in and out. */
let host: string;

/** Runs a shell script as the test user, with `berth` on hand as $B. */
function sh(script: string, opts: { expectExit?: number; input?: Buffer } = {}) {
  const b = `${join(repoRoot(), 'bin', 'berth')} --root ${store.root} --runroot ${store.runRoot}`;
  return runAs('sh', ['-c', `B="${b}"; set -e; ${script}`], { ...opts, cwd: host });
}

beforeAll(async () => {
  store = newTestStore('files');
  host = join(store.dir, 'host');
  await runAs('mkdir', ['-p', host]);
  await berth(['pull', '-q', busybox], { store });
});
afterAll(async () => {
  await removeAll(store);
  await settle(store);
  assertNoLeaks(store);
  await store.cleanup();
});

const LOOP = 'while :; do sleep 0.1; done';

async function runD(name: string, script: string): Promise<void> {
  await berth(['run', '-d', '--name', name, busybox, 'sh', '-c', `${script}; touch /ready; ${LOOP}`], {
    store,
  });
  for (let i = 0; i < 100; i++) {
    const r = await berth(['exec', name, 'test', '-e', '/ready'], { store }).catch(() => undefined);
    if (r) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`container ${name} did not get ready`);
}

describe('cp', () => {
  it('round trip host -> running container -> host keeps content and modes', async () => {
    const name = uniqueName('cp-rt');
    await runD(name, 'true');
    await sh(
      'mkdir -p src/sub && printf "one\\n" > src/a.txt && printf "two\\n" > src/sub/b.sh && chmod 0751 src/sub/b.sh && chmod 0600 src/a.txt && ln -s a.txt src/link',
    );
    await berth(['cp', join(host, 'src'), `${name}:/tmp/`], { store });
    const inside = await berth(
      [
        'exec',
        name,
        'sh',
        '-c',
        'stat -c "%a %u %n" /tmp/src/a.txt /tmp/src/sub/b.sh; cat /tmp/src/sub/b.sh; readlink /tmp/src/link',
      ],
      { store },
    );
    // Copied-in files belong to the container's root without -a.
    expect(inside.stdout).toBe('600 0 /tmp/src/a.txt\n751 0 /tmp/src/sub/b.sh\ntwo\na.txt\n');
    await berth(['cp', `${name}:/tmp/src`, join(host, 'back')], { store });
    expect(readFileSync(join(host, 'back/a.txt'), 'utf8')).toBe('one\n');
    expect(statSync(join(host, 'back/sub/b.sh')).mode & 0o7777).toBe(0o751);
    expect(statSync(join(host, 'back/a.txt')).mode & 0o7777).toBe(0o600);
    // Out of the container, files belong to the user who copied them.
    expect(statSync(join(host, 'back/a.txt')).uid).toBe(ctx.user.uid);
    // `/.` copies the contents; a file onto an existing directory goes into it.
    await berth(['cp', `${name}:/tmp/src/.`, join(host, 'contents')], { store });
    expect(readFileSync(join(host, 'contents/sub/b.sh'), 'utf8')).toBe('two\n');
    await berth(['cp', join(host, 'src/a.txt'), `${name}:/etc`], { store });
    expect((await berth(['exec', name, 'cat', '/etc/a.txt'], { store })).stdout).toBe('one\n');
    await berth(['rm', '-f', name], { store });
  });

  it('works on a stopped container and leaves it unmounted', async () => {
    const name = uniqueName('cp-stopped');
    await berth(['create', '--name', name, busybox, 'cat', '/tmp/in.txt'], { store });
    await sh('printf "stopped\\n" > in.txt');
    await berth(['cp', join(host, 'in.txt'), `${name}:/tmp/in.txt`], { store });
    const r = await berth(['start', '-a', name], { store });
    expect(r.stdout).toBe('stopped\n');
    await berth(['cp', `${name}:/tmp/in.txt`, join(host, 'out.txt')], { store });
    expect(readFileSync(join(host, 'out.txt'), 'utf8')).toBe('stopped\n');
    const id = (await berth(['inspect', '--format', '{{.Id}}', name], { store })).stdout.trim();
    const info = await runAs('sh', [
      '-c',
      `${join(repoRoot(), 'bin', 'berth')} unshare cat /proc/self/mountinfo`,
    ]);
    expect(info.stdout).not.toContain(id);
    await berth(['rm', name], { store });
  });

  it('resolves symlinks in the container inside its root, never the host', async () => {
    const name = uniqueName('cp-escape');
    const hostTarget = join(host, 'escape-target');
    await runAs('mkdir', ['-p', hostTarget]);
    // Links to /, to ../../.., and to an absolute path that exists on the host.
    await runD(
      name,
      `ln -s / /tmp/rootlink; ln -s ../../../.. /tmp/uplink; mkdir -p /d ${hostTarget}; ln -s ${hostTarget} /d/abs`,
    );
    await sh('printf "payload\\n" > p.txt');
    await berth(['cp', join(host, 'p.txt'), `${name}:/tmp/rootlink/etc/via-root.txt`], { store });
    await berth(['cp', join(host, 'p.txt'), `${name}:/tmp/uplink/etc/via-up.txt`], { store });
    await berth(['cp', join(host, 'p.txt'), `${name}:/d/abs/pwned.txt`], { store });
    expect(existsSync('/etc/via-root.txt')).toBe(false);
    expect(existsSync('/etc/via-up.txt')).toBe(false);
    expect(existsSync(join(hostTarget, 'pwned.txt'))).toBe(false);
    const r = await berth(
      ['exec', name, 'sh', '-c', `cat /etc/via-root.txt /etc/via-up.txt ${hostTarget}/pwned.txt`],
      { store },
    );
    expect(r.stdout).toBe('payload\npayload\npayload\n');
    await berth(['rm', '-f', name], { store });
  });

  it('a tar stream with .. and absolute entries stays inside the container', async () => {
    const name = uniqueName('cp-tar');
    await runD(name, 'mkdir -p /in');
    await runAs('sh', ['-c', `mkdir -p ${host}/t && printf evil > ${host}/t/evil.txt`]);
    // GNU tar with -P writes `..` and absolute names as they are.
    const tarBytes = await runAs('sh', [
      '-c',
      `cd ${host}/t && tar -cPf - --transform 's,^evil.txt,../../../../../..${host}/dotdot.txt,' evil.txt | base64 -w0`,
    ]);
    const absTar = await runAs('sh', [
      '-c',
      `cd ${host}/t && tar -cPf - --transform 's,^evil.txt,${host}/absolute.txt,' evil.txt | base64 -w0`,
    ]);
    for (const b64 of [tarBytes.stdout, absTar.stdout]) {
      const r = await berth(['cp', '-', `${name}:/in`], {
        store,
        input: Buffer.from(b64, 'base64'),
        expectExit: 125,
      });
      expect(r.stderr).toMatch(/refused/);
    }
    expect(existsSync(join(host, 'dotdot.txt'))).toBe(false);
    expect(existsSync(join(host, 'absolute.txt'))).toBe(false);
    // A well-formed stream goes where it is told.
    const good = await runAs('sh', ['-c', `cd ${host}/t && tar -cf - evil.txt | base64 -w0`]);
    await berth(['cp', '-', `${name}:/in`], { store, input: Buffer.from(good.stdout, 'base64') });
    expect((await berth(['exec', name, 'cat', '/in/evil.txt'], { store })).stdout).toBe('evil');
    await berth(['rm', '-f', name], { store });
  });

  it('-L follows a link inside the container root; without -L the link itself is copied', async () => {
    const name = uniqueName('cp-follow');
    await runD(
      name,
      'echo inside > /etc/issue; ln -s /etc/issue /tmp/l; ln -s ../../../../etc/issue /tmp/l2',
    );
    await berth(['cp', '-L', `${name}:/tmp/l`, join(host, 'followed')], { store });
    expect(readFileSync(join(host, 'followed'), 'utf8')).toBe('inside\n');
    await berth(['cp', '-L', `${name}:/tmp/l2`, join(host, 'followed2')], { store });
    expect(readFileSync(join(host, 'followed2'), 'utf8')).toBe('inside\n');
    await berth(['cp', `${name}:/tmp/l`, join(host, 'notfollowed')], { store });
    const link = await runAs('readlink', [join(host, 'notfollowed')]);
    expect(link.stdout.trim()).toBe('/etc/issue');
    // And a tar to stdout names the entry after the source.
    const list = await sh(`$B cp ${name}:/etc/issue - | tar -tf -`);
    expect(list.stdout).toBe('issue\n');
    await berth(['rm', '-f', name], { store });
  });

  it('reports a missing source and a missing destination parent', async () => {
    const name = uniqueName('cp-err');
    await berth(['create', '--name', name, busybox], { store });
    const r1 = await berth(['cp', `${name}:/no/such`, join(host, 'x')], { store, expectExit: 125 });
    expect(r1.stderr).toMatch(/could not find the file \/no\/such/);
    await sh('printf x > x.txt');
    const r2 = await berth(['cp', join(host, 'x.txt'), `${name}:/no/such/file`], { store, expectExit: 125 });
    expect(r2.stderr).toMatch(/parent directory .* does not exist/);
    const r3 = await berth(['cp', join(host, 'x.txt'), join(host, 'y.txt')], { store, expectExit: 125 });
    expect(r3.stderr).toMatch(/must name a container/);
    await berth(['rm', name], { store });
  });
});

describe('diff, commit', () => {
  it('diff lists A/C/D; commit makes an image that runs with the change and the --change', async () => {
    const name = uniqueName('commit');
    await berth(
      [
        'run',
        '--name',
        name,
        busybox,
        'sh',
        '-c',
        'echo new > /etc/newfile; rm /etc/group; mkdir -p /opt/x; echo y > /opt/x/y',
      ],
      {
        store,
      },
    );
    const diff = await berth(['diff', name], { store });
    const lines = diff.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['C /etc', 'A /etc/newfile', 'D /etc/group', 'A /opt/x/y']));
    // The runtime's mount points are no change of the container's.
    expect(lines).not.toContain('A /etc/hosts');
    expect(lines.indexOf('C /etc')).toBeLessThan(lines.indexOf('A /etc/newfile'));
    const image = uniqueName('committed');
    const c = await berth(
      [
        'commit',
        '-m',
        'a message',
        '-a',
        'Tester',
        '-c',
        'ENV FOO=bar',
        '-c',
        'CMD ["cat","/etc/newfile"]',
        name,
        `${image}:v1`,
      ],
      {
        store,
      },
    );
    expect(c.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const run1 = await berth(['run', '--rm', `${image}:v1`], { store });
    expect(run1.stdout).toBe('new\n');
    const run2 = await berth(
      [
        'run',
        '--rm',
        `${image}:v1`,
        'sh',
        '-c',
        'echo $FOO; cat /opt/x/y; test -e /etc/group || echo gone; test -s /etc/hosts && echo hosts',
      ],
      {
        store,
      },
    );
    expect(run2.stdout).toBe('bar\ny\ngone\nhosts\n');
    const inspect = await berth(['image', 'inspect', '--format', '{{.Author}}|{{.Comment}}', `${image}:v1`], {
      store,
    });
    expect(inspect.stdout.trim()).toBe('Tester|a message');
    await berth(['rm', name], { store });
    await berth(['rmi', `${image}:v1`], { store });
  });

  it('commits a running container (pausing it where the runtime can, or saying it could not)', async () => {
    const name = uniqueName('commit-run');
    await runD(name, 'echo live > /live.txt');
    const r = await berth(['commit', name], { store });
    const id = r.stdout.trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    if (r.stderr) expect(r.stderr).toMatch(/could not pause/);
    expect((await berth(['inspect', '--format', '{{.State.Status}}', name], { store })).stdout.trim()).toBe(
      'running',
    );
    const out = await berth(['run', '--rm', id.slice(7), 'cat', '/live.txt'], { store });
    expect(out.stdout).toBe('live\n');
    await berth(['rm', '-f', name], { store });
    await berth(['rmi', id.slice(7)], { store });
  });
});

describe('export, import, mount', () => {
  it('export | import gives an image with the same files', async () => {
    const name = uniqueName('export');
    await berth(
      [
        'run',
        '--name',
        name,
        busybox,
        'sh',
        '-c',
        'mkdir -p /srv/a && echo data > /srv/a/f && ln -s f /srv/a/l',
      ],
      { store },
    );
    const image = uniqueName('imported');
    const imp = await sh(`$B export ${name} | $B import -c 'CMD ["/bin/sh"]' -m imported - ${image}:1`);
    expect(imp.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    await berth(['export', '-o', join(host, 'ctr.tar'), name], { store });
    const list = 'find / -xdev | grep -v -e "^/proc" -e "^/sys" -e "^/dev" | sort; cat /srv/a/l';
    const fromImport = await berth(['run', '--rm', `${image}:1`, 'sh', '-c', list], { store });
    // What the container saw, through a second container of the image making the same change.
    const reference = await berth(
      [
        'run',
        '--rm',
        busybox,
        'sh',
        '-c',
        `mkdir -p /srv/a && echo data > /srv/a/f && ln -s f /srv/a/l && ${list}`,
      ],
      { store },
    );
    expect(fromImport.stdout).toBe(reference.stdout);
    expect(fromImport.stdout).toContain('/srv/a/l\n');
    // A file import works too.
    const fileImp = await berth(['image', 'import', join(host, 'ctr.tar'), `${image}:2`], { store });
    expect(fileImp.stdout).toMatch(/^sha256:/);
    expect((await berth(['run', '--rm', `${image}:2`, 'cat', '/srv/a/f'], { store })).stdout).toBe('data\n');
    await berth(['rm', name], { store });
    await berth(['rmi', `${image}:1`, `${image}:2`], { store });
  });

  it('mount prints the rootfs path, usable in unshare; unmount undoes it', async () => {
    const name = uniqueName('mount');
    await berth(['create', '--name', name, busybox], { store });
    const path = (await berth(['mount', name], { store })).stdout.trim();
    expect(path).toMatch(/merged$/);
    const seen = await sh(`$B unshare ls ${path}/bin/busybox`);
    expect(seen.stdout.trim()).toBe(`${path}/bin/busybox`);
    await berth(['unmount', name], { store });
    const after = await sh(`$B unshare ls ${path}`);
    expect(after.stdout.trim()).toBe('');
    await berth(['rm', name], { store });
  });
});
