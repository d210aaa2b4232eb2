import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth, runAs } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { uniqueName } from '../harness/store.js';
import {
  assertNoContainerState,
  containerState,
  inspectContainer,
  psNames,
  fileStore,
  removeAll,
} from './containers-helpers.js';

/** Foreground `run`: exit codes, flags, stdio, errors. */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const store = fileStore('containers-run', { pull: busybox });

/** `run --rm busybox ...`; returns the result (exit code checked against expectExit). */
function run(args: string[], opts: { expectExit?: number; input?: string } = {}) {
  return berth(['run', '--rm', ...args], { store, ...opts });
}

/** `ps -a` must be unchanged by a command that fails. */
async function leavesPsAsItWas(fn: () => Promise<unknown>): Promise<void> {
  const before = await psNames(store);
  const dirsBefore = containerState(store).containerDirs;
  await fn();
  expect(await psNames(store)).toEqual(before);
  expect(containerState(store).containerDirs).toEqual(dirsBefore);
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.startsWith('Error:'));
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('exit codes', () => {
  it("passes the container's exit code through", async () => {
    const r = await run([busybox, 'sh', '-c', 'echo out; exit 3'], { expectExit: 3 });
    expect(r.stdout).toBe('out\n');
    await run([busybox, 'true']);
    await run([busybox, 'false'], { expectExit: 1 });
  });

  it('exits 127 for a command that is not found, 126 for one that cannot be executed', async () => {
    await leavesPsAsItWas(async () => {
      const nf = await run([busybox, 'nosuchcmd'], { expectExit: 127 });
      expect(oneErrorLine(nf.stderr)).toMatch(/nosuchcmd/);
      const ne = await run([busybox, '/etc/passwd'], { expectExit: 126 });
      expect(oneErrorLine(ne.stderr)).toMatch(/permission denied/i);
    });
    // Without --rm, a command that cannot start leaves an exited container, as Docker does.
    const name = uniqueName('nf');
    await berth(['run', '--name', name, busybox, 'nosuchcmd'], { store, expectExit: 127 });
    const info = await inspectContainer(store, name);
    expect(info.State.Status).toMatch(/^(exited|created)$/);
    expect(info.State.Running).toBe(false);
    await berth(['rm', name], { store });
  });

  it('refuses a bad flag with 125 and one Error line', async () => {
    await leavesPsAsItWas(async () => {
      const r = await berth(['run', '--no-such-flag', busybox, 'true'], { store, expectExit: 125 });
      expect(oneErrorLine(r.stderr)).toMatch(/no-such-flag/);
      const r2 = await berth(['run', '--restart', 'sometimes', busybox, 'true'], { store, expectExit: 125 });
      oneErrorLine(r2.stderr);
    });
  });
});

describe('process settings', () => {
  it('-u takes a uid, a name, uid:gid, and refuses an unknown user', async () => {
    expect((await run(['-u', '1000', busybox, 'id', '-u'])).stdout).toBe('1000\n');
    expect((await run(['-u', 'tester', busybox, 'sh', '-c', 'id -u; id -g'])).stdout).toBe('1000\n1000\n');
    expect((await run(['-u', '1000:0', busybox, 'sh', '-c', 'id -u; id -g'])).stdout).toBe('1000\n0\n');
    expect((await run([busybox, 'id', '-u'])).stdout).toBe('0\n');
    await leavesPsAsItWas(async () => {
      const r = await run(['-u', 'nosuchuser', busybox, 'id'], { expectExit: 125 });
      expect(oneErrorLine(r.stderr)).toMatch(/nosuchuser/);
    });
  });

  it('-e and --env-file set the environment; a missing --env-file is an error', async () => {
    const envFile = join(store.dir, 'env.list');
    writeFileSync(envFile, '# comment\nFROM_FILE=file value\nBOTH=from-file\n', { mode: 0o644 });
    const r = await run([
      '-e',
      'FOO=bar',
      '-e',
      'BOTH=from-flag',
      '--env-file',
      envFile,
      busybox,
      'sh',
      '-c',
      'echo "$FOO|$FROM_FILE|$BOTH|$PATH"',
    ]);
    expect(r.stdout).toBe(
      'bar|file value|from-flag|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n',
    );
    await leavesPsAsItWas(async () => {
      const missing = join(store.dir, 'no-such-env-file');
      const e = await run(['--env-file', missing, busybox, 'true'], { expectExit: 125 });
      expect(oneErrorLine(e.stderr)).toContain('no-such-env-file');
    });
  });

  it('-w, --entrypoint and --hostname', async () => {
    expect((await run(['-w', '/etc', busybox, 'pwd'])).stdout).toBe('/etc\n');
    // A workdir that does not exist yet is created, as Docker does.
    expect((await run(['-w', '/new/dir', busybox, 'pwd'])).stdout).toBe('/new/dir\n');
    expect((await run(['--entrypoint', 'echo', busybox, 'from', 'entrypoint'])).stdout).toBe(
      'from entrypoint\n',
    );
    expect((await run(['--entrypoint', '/bin/cat', busybox, '/etc/hostname'], {})).stdout).toMatch(
      /^[0-9a-f]{12}\n$/,
    );
    const h = await run([
      '--hostname',
      'myhost.example',
      busybox,
      'sh',
      '-c',
      'hostname; cat /etc/hostname; echo $HOSTNAME',
    ]);
    expect(h.stdout).toBe('myhost.example\nmyhost.example\nmyhost.example\n');
  });

  it('keeps stdout and stderr apart', async () => {
    const r = await run([busybox, 'sh', '-c', 'echo to-out; echo to-err >&2; echo more-out']);
    expect(r.stdout).toBe('to-out\nmore-out\n');
    expect(r.stderr).toBe('to-err\n');
  });

  it('-i forwards stdin and closes it at EOF; without -i stdin is not read', async () => {
    const r = await run(['-i', busybox, 'cat'], { input: 'hi\nthere\n' });
    expect(r.stdout).toBe('hi\nthere\n');
    const big = `${'x'.repeat(1000)}\n`.repeat(300);
    const w = await run(['-i', busybox, 'wc', '-c'], { input: big });
    expect(w.stdout.trim()).toBe(String(big.length));
    const n = await run([busybox, 'cat'], { input: 'ignored\n' });
    expect(n.stdout).toBe('');
  });

  it('-t gives the container a terminal', async () => {
    const berthBin = join(ctx.repoRoot, 'bin', 'berth');
    const cmd = `${berthBin} --root ${store.root} --runroot ${store.runRoot} run --rm -t ${busybox} sh -c 'test -t 0 && test -t 1 && echo tty; echo TERM=$TERM'`;
    const r = await runAs('script', ['-qec', cmd, '/dev/null']);
    expect(r.stdout.replace(/\r/g, '')).toContain('tty\nTERM=xterm\n');
    const noTty = await run([busybox, 'sh', '-c', 'test -t 1 && echo tty || echo notty']);
    expect(noTty.stdout).toBe('notty\n');
  });
});

describe('names', () => {
  it('--name, generated names, duplicates, --replace and invalid names', async () => {
    const name = uniqueName('named');
    await berth(['create', '--name', name, busybox, 'true'], { store });
    expect(await psNames(store)).toContain(name);
    await leavesPsAsItWas(async () => {
      const dup = await berth(['create', '--name', name, busybox, 'true'], { store, expectExit: 125 });
      expect(oneErrorLine(dup.stderr)).toContain(name);
      expect(dup.stderr).toContain('--replace');
    });
    const oldId = (await inspectContainer(store, name)).Id;
    const out = await berth(['run', '--replace', '--name', name, busybox, 'echo', 'replaced'], { store });
    expect(out.stdout).toBe('replaced\n');
    const info = await inspectContainer(store, name);
    expect(info.Id).not.toBe(oldId);
    expect(info.Name).toBe(`/${name}`);
    await berth(['rm', name], { store });

    await leavesPsAsItWas(async () => {
      for (const bad of ['-bad', 'has space', 'a/b']) {
        const r = await berth(['create', `--name=${bad}`, busybox, 'true'], { store, expectExit: 125 });
        expect(oneErrorLine(r.stderr)).toMatch(/invalid container name/);
      }
    });

    const gen = await berth(['create', busybox, 'true'], { store });
    const id = gen.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const gi = await inspectContainer(store, id.slice(0, 12));
    expect(gi.Id).toBe(id);
    const generated = gi.Name.replace(/^\//, '');
    expect(generated).toMatch(/^[a-z]+_[a-z]+$/);
    expect(await psNames(store)).toContain(generated);
    await berth(['rm', generated], { store });
  });
});

describe('images', () => {
  it('an unknown image is a clear error and creates nothing; --pull never does not pull', async () => {
    const imagesBefore = (await berth(['images', '-q', '--no-trunc'], { store })).stdout;
    await leavesPsAsItWas(async () => {
      const r = await run([`${ctx.registry}/berth-test/no-such-image:latest`, 'true'], { expectExit: 125 });
      expect(oneErrorLine(r.stderr)).toMatch(/no-such-image/);
      const n = await run(['--pull', 'never', ctx.images.busyboxOci.ref, 'true'], { expectExit: 125 });
      expect(oneErrorLine(n.stderr)).toMatch(/no such image|image not known|not found/i);
    });
    expect((await berth(['images', '-q', '--no-trunc'], { store })).stdout).toBe(imagesBefore);
    // --pull missing (the default) pulls it.
    const ok = await run(['-q', ctx.images.busyboxOci.ref, 'echo', 'pulled']);
    expect(ok.stdout).toBe('pulled\n');
  });

  it('--rm leaves nothing behind', async () => {
    const name = uniqueName('rm');
    const before = containerState(store);
    await berth(['run', '--rm', '--name', name, busybox, 'sh', '-c', 'echo x > /file'], { store });
    expect(containerState(store)).toEqual(before);
    expect(await psNames(store)).not.toContain(name);
    // The name is free again at once.
    await berth(['run', '--rm', '--name', name, busybox, 'true'], { store });
  });
});

describe('security and resources', () => {
  const capEff = async (args: string[]) => {
    const r = await run([...args, busybox, 'grep', '^CapEff', '/proc/self/status']);
    return BigInt(`0x${r.stdout.split(/\s+/)[1]}`);
  };
  const bit = (n: number) => 1n << BigInt(n);
  const CAP_CHOWN = 0;
  const CAP_NET_RAW = 13;
  const CAP_SYS_ADMIN = 21;
  const CAP_SYS_TIME = 25;

  it('--cap-drop, --cap-add and --privileged change the capability set', async () => {
    const base = await capEff([]);
    expect(base & bit(CAP_CHOWN)).not.toBe(0n);
    expect(base & bit(CAP_SYS_ADMIN)).toBe(0n);
    const dropped = await capEff(['--cap-drop', 'chown']);
    expect(dropped & bit(CAP_CHOWN)).toBe(0n);
    expect(dropped | bit(CAP_CHOWN)).toBe(base);
    const added = await capEff(['--cap-add', 'SYS_TIME']);
    expect(added).toBe(base | bit(CAP_SYS_TIME));
    const none = await capEff(['--cap-drop', 'all']);
    expect(none).toBe(0n);
    const priv = await capEff(['--privileged']);
    expect(priv & bit(CAP_SYS_ADMIN)).not.toBe(0n);
    expect(priv & bit(CAP_NET_RAW)).not.toBe(0n);
    // A privileged container sees the host's devices and can mount.
    const m = await run([
      '--privileged',
      busybox,
      'sh',
      '-c',
      'mkdir /m && mount -t tmpfs none /m && echo mounted',
    ]);
    expect(m.stdout).toBe('mounted\n');
  });

  it('--read-only and --tmpfs', async () => {
    const ro = await run([
      '--read-only',
      '--tmpfs',
      '/tmp',
      busybox,
      'sh',
      '-c',
      'touch /x 2>/dev/null && echo wrote || echo refused; touch /tmp/t && echo tmp-ok',
    ]);
    expect(ro.stdout).toBe('refused\ntmp-ok\n');
    const rw = await run([busybox, 'sh', '-c', 'touch /x && echo wrote']);
    expect(rw.stdout).toBe('wrote\n');
    const t = await run([
      '--tmpfs',
      '/scratch:size=1m',
      busybox,
      'sh',
      '-c',
      'grep " /scratch " /proc/mounts',
    ]);
    expect(t.stdout).toMatch(/^tmpfs \/scratch tmpfs .*size=1024k/);
  });

  it('--security-opt no-new-privileges, --ulimit and --init', async () => {
    const nnp = await run([
      '--security-opt',
      'no-new-privileges',
      busybox,
      'grep',
      'NoNewPrivs',
      '/proc/self/status',
    ]);
    expect(nnp.stdout).toMatch(/NoNewPrivs:\s+1/);
    const def = await run([busybox, 'grep', 'NoNewPrivs', '/proc/self/status']);
    expect(def.stdout).toMatch(/NoNewPrivs:\s+0/);
    const ul = await run(['--ulimit', 'nofile=100:200', busybox, 'sh', '-c', 'ulimit -n; ulimit -Hn']);
    expect(ul.stdout).toBe('100\n200\n');
    // The init is catatonit, bind-mounted under its own name as Podman does (podman-init).
    const init = await run([
      '--init',
      busybox,
      'sh',
      '-c',
      'cat /proc/1/comm; echo $PPID; tr "\\0" " " < /proc/1/cmdline',
    ]);
    const [comm, ppid, cmdline] = init.stdout.split('\n');
    expect(comm).toMatch(/^(catatonit|berth-init)$/);
    expect(ppid).toBe('1');
    expect(cmdline).toMatch(/ -- sh -c /);
    const noInit = await run([busybox, 'cat', '/proc/1/comm']);
    expect(noInit.stdout).toBe('cat\n');
  });

  it('--label and --annotation show in inspect', async () => {
    const name = uniqueName('labels');
    await berth(
      ['create', '--name', name, '--label', 'a=1', '-l', 'b=two', '--annotation', 'org.example/x=y', busybox],
      {
        store,
      },
    );
    const info = await inspectContainer(store, name);
    expect(info.Config.Labels).toMatchObject({ a: '1', b: 'two', 'org.berth.test': 'busybox' });
    expect(JSON.stringify(info)).toContain('"org.example/x":"y"');
    const f = await berth(['inspect', '--format', '{{.Config.Labels.b}}', name], { store });
    expect(f.stdout).toBe('two\n');
    const ps = await berth(['ps', '-a', '--filter', 'label=b=two', '--format', '{{.Names}}'], { store });
    expect(ps.stdout).toBe(`${name}\n`);
    await berth(['rm', name], { store });
  });
});

describe('management forms', () => {
  it('container run/create/ls/inspect/rm answer like the short forms', async () => {
    const name = uniqueName('mgmt');
    const r = await berth(['container', 'run', '--name', name, busybox, 'echo', 'mgmt'], { store });
    expect(r.stdout).toBe('mgmt\n');
    const ls = await berth(['container', 'ls', '-a', '--format', '{{.Names}} {{.Status}}'], { store });
    expect(ls.stdout).toMatch(new RegExp(`^${name} Exited \\(0\\)`, 'm'));
    const list = await berth(['container', 'list', '-a', '-q'], { store });
    expect(list.stdout.split('\n')).toContain((await inspectContainer(store, name)).Id.slice(0, 12));
    const i = await berth(['container', 'inspect', '--format', '{{.State.ExitCode}} {{.Name}}', name], {
      store,
    });
    expect(i.stdout).toBe(`0 /${name}\n`);
    await berth(['container', 'rm', name], { store });
    expect(await psNames(store)).not.toContain(name);
  });
});

describe('at the end', () => {
  it('leaves no container state once everything is removed', async () => {
    await removeAll(store);
    assertNoContainerState(store);
  });
});
