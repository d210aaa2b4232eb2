import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { harness } from '../harness/context.js';
import { assertNoLeaks, waitForNoLeaks } from '../harness/leaks.js';
import { mountsUnder, pausePid } from '../harness/proc.js';
import { newTestStore, type TestStore, uniqueName } from '../harness/store.js';
import {
  exitOf,
  inspectContainer,
  psNames,
  psStatus,
  fileStore,
  removeAll,
  settle,
  spawnBerthPiped,
  waitFor,
} from './containers-helpers.js';

/**
 * Networking, rootless: slirp4netns by default, published ports answering on 127.0.0.1, `port`,
 * ps and inspect, --network none, the files (/etc/hosts, resolv.conf), and no slirp4netns left
 * behind however a container ends. Traffic only ever goes to 127.0.0.1 and the container's own
 * slirp network.
 */

const ctx = harness();
const busybox = ctx.images.busybox.ref;
const store = fileStore('network', { pull: busybox, leaks: 'assert' });

function findOnPath(name: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin').split(':').some((d) => existsSync(join(d, name)));
}

/** A loopback port nobody uses right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port: 0 }, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** GET http://127.0.0.1:port/ until the server in the container answers. */
async function fetchText(port: number, path = '/'): Promise<string> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
      return await r.text();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`127.0.0.1:${port} did not answer: ${String(last)}`);
}

/** busybox httpd serving one file at / from the container's port 80. */
function httpd(text: string): string[] {
  return ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`];
}

/** The pid of the slirp4netns serving a running container (from its persist dir). */
function slirpPid(id: string, s: TestStore = store): number {
  const pid = Number(readFileSync(join(s.runRoot, 'containers', id, 'slirp4netns.pid'), 'utf8'));
  expect(slirpAlive(pid)).toBe(true);
  return pid;
}

/** A live (not zombie) slirp4netns with that pid. */
function slirpAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return stat.includes('(slirp4netns)') && state !== 'Z';
  } catch {
    return false;
  }
}

async function slirpGone(pid: number): Promise<void> {
  await waitFor(`slirp4netns ${pid} to end`, () => !slirpAlive(pid), 10_000);
}

function mountsOf(id: string): string[] {
  const pause = pausePid(ctx.runtimeDir);
  return [
    ...mountsUnder('/proc/self/mountinfo', store.dir),
    ...(pause ? mountsUnder(`/proc/${pause}/mountinfo`, store.dir) : []),
  ].filter((m) => m.includes(id));
}

describe('published ports', () => {
  it('-p HOST:80 serves the file on 127.0.0.1:HOST; port, ps and inspect show it; rm -f ends slirp4netns', async () => {
    const name = uniqueName('web');
    const hostPort = await freePort();
    const id = (
      await berth(['run', '-d', '--name', name, '-p', `${hostPort}:80`, busybox, ...httpd(`hello-${name}`)], {
        store,
      })
    ).stdout.trim();
    const slirp = slirpPid(id);
    expect(await fetchText(hostPort)).toBe(`hello-${name}\n`);

    expect((await berth(['port', name], { store })).stdout).toBe(`80/tcp -> 0.0.0.0:${hostPort}\n`);
    expect((await berth(['container', 'port', name, '80/tcp'], { store })).stdout).toBe(
      `0.0.0.0:${hostPort}\n`,
    );
    const missing = await berth(['port', name, '81'], { store, expectExit: 1 });
    expect(missing.stderr).toMatch(/No public port '81\/tcp' published/);
    const ps = await berth(['ps', '--filter', `name=^${name}$`, '--format', '{{.Ports}}'], { store });
    expect(ps.stdout.trim()).toBe(`0.0.0.0:${hostPort}->80/tcp`);

    const info = await inspectContainer(store, name);
    const settings = info.NetworkSettings as { IPAddress: string; Gateway: string; Ports: unknown };
    expect(settings.IPAddress).toBe('10.0.2.100');
    expect(settings.Gateway).toBe('10.0.2.2');
    expect(settings.Ports).toEqual({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(hostPort) }] });
    expect(info.HostConfig.NetworkMode).toBe('slirp4netns');
    expect(info.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: String(hostPort) }] });

    await berth(['rm', '-f', name], { store });
    await slirpGone(slirp);
    await expect(
      fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
  });

  it('-p 80 picks a free host port that `port` reports and that answers; stop ends slirp4netns', async () => {
    const name = uniqueName('rand');
    const id = (
      await berth(['run', '-d', '--name', name, '-p', '80', busybox, ...httpd('random')], { store })
    ).stdout.trim();
    const slirp = slirpPid(id);
    const line = (await berth(['port', name, '80'], { store })).stdout.trim();
    const m = /^0\.0\.0\.0:(\d+)$/.exec(line);
    expect(m).not.toBeNull();
    const port = Number(m?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await fetchText(port)).toBe('random\n');
    await berth(['stop', '-t', '1', name], { store });
    await slirpGone(slirp);
    // A stopped container publishes nothing, as in Docker.
    expect((await berth(['port', name], { store })).stdout).toBe('');
    expect(
      (
        await berth(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Ports}}'], { store })
      ).stdout.trim(),
    ).toBe('');
    // Started again, it gets a network again.
    await berth(['start', name], { store });
    const again = Number((await berth(['port', name, '80'], { store })).stdout.trim().split(':')[1]);
    expect(await fetchText(again)).toBe('random\n');
    const slirp2 = slirpPid(id);
    await berth(['rm', '-f', name], { store });
    await slirpGone(slirp2);
  });

  it('a host port already in use: the second container fails clearly and leaves nothing running', async () => {
    const first = uniqueName('first');
    const second = uniqueName('second');
    const hostPort = await freePort();
    await berth(['run', '-d', '--name', first, '-p', `${hostPort}:80`, busybox, ...httpd('first')], {
      store,
    });
    const r = await berth(
      ['run', '-d', '--name', second, '-p', `${hostPort}:80`, busybox, ...httpd('second')],
      {
        store,
        expectExit: 125,
      },
    );
    expect(r.stderr).toMatch(
      new RegExp(`^Error: Bind for 0\\.0\\.0\\.0:${hostPort} failed: port is already allocated`),
    );
    expect(r.stdout).toBe('');
    // Docker's semantics: the container exists, Created, with the error; nothing of it runs.
    const info = await inspectContainer(store, second);
    expect(info.State.Status).toBe('created');
    expect(info.State.Running).toBe(false);
    expect((info.State as { Error?: string }).Error).toMatch(/already allocated/);
    expect(await psStatus(store, second)).toBe('Created');
    expect(await psNames(store, false)).not.toContain(second);
    expect(mountsOf(info.Id)).toEqual([]);
    expect(() => readFileSync(join(store.runRoot, 'containers', info.Id, 'slirp4netns.pid'))).toThrow();
    // The first one still serves.
    expect(await fetchText(hostPort)).toBe('first\n');
    // With --rm, nothing at all is left.
    const third = uniqueName('third');
    await berth(['run', '--rm', '-d', '--name', third, '-p', `${hostPort}:80`, busybox, 'true'], {
      store,
      expectExit: 125,
    });
    expect(await psNames(store)).not.toContain(third);
    await berth(['rm', '-f', first, second], { store });
  });

  it('refuses bad -p values and unknown networks before creating anything', async () => {
    const name = uniqueName('bad');
    const bad = await berth(['run', '--rm', '--name', name, '-p', '70000:80', busybox, 'true'], {
      store,
      expectExit: 125,
    });
    expect(bad.stderr).toMatch(/invalid publish "70000:80".*out of range/);
    const net = await berth(['run', '--rm', '--network', 'nosuchnet', busybox, 'true'], {
      store,
      expectExit: 125,
    });
    expect(net.stderr).toMatch(/network nosuchnet not found/);
    const opt = await berth(
      ['run', '--rm', '--network', 'slirp4netns:port_handler=rootlesskit', busybox, 'true'],
      {
        store,
        expectExit: 125,
      },
    );
    expect(opt.stderr).toMatch(/rootlesskit is not supported/);
    const none = await berth(['run', '--rm', '--network', 'none', '-p', '8080:80', busybox, 'true'], {
      store,
      expectExit: 125,
    });
    expect(none.stderr).toMatch(/conflicting options/);
    if (!findOnPath('pasta')) {
      const pasta = await berth(['run', '--rm', '--network', 'pasta', busybox, 'true'], {
        store,
        expectExit: 125,
      });
      expect(pasta.stderr).toMatch(/network pasta: pasta is not installed/);
    }
    expect(await psNames(store)).not.toContain(name);
  });
});

describe('the container side', () => {
  it('gets lo and tap0 with 10.0.2.100, a default route, and resolv.conf pointing at slirp4netns', async () => {
    const r = await berth(
      ['run', '--rm', busybox, 'sh', '-c', 'ip -o -4 addr; ip route; cat /etc/resolv.conf'],
      { store },
    );
    expect(r.stdout).toMatch(/^\d+: lo\s+inet 127\.0\.0\.1\/8/m);
    expect(r.stdout).toMatch(/^\d+: tap0\s+inet 10\.0\.2\.100\/24/m);
    expect(r.stdout).toMatch(/^default via 10\.0\.2\.2 dev tap0/m);
    expect(r.stdout).toMatch(/^nameserver 10\.0\.2\.3$/m);
  });

  it('--network none shows only lo', async () => {
    const r = await berth(['run', '--rm', '--network', 'none', busybox, 'cat', '/proc/net/dev'], { store });
    const ifaces = r.stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => l.split(':')[0].trim());
    expect(ifaces).toEqual(['lo']);
    const info = await berth(['run', '-d', '--network', 'none', busybox, 'true'], { store });
    const id = info.stdout.trim();
    expect(
      (await berth(['inspect', '--format', '{{.HostConfig.NetworkMode}}', id], { store })).stdout.trim(),
    ).toBe('none');
    await berth(['rm', '-f', id], { store });
  });

  it('--add-host, --dns, --dns-search, --dns-option and the hostname land in the files', async () => {
    const r = await berth(
      [
        'run',
        '--rm',
        '--hostname',
        'netbox',
        '--add-host',
        'db.internal:192.0.2.10',
        '--dns',
        '192.0.2.53',
        '--dns-search',
        'example.test',
        '--dns-option',
        'ndots:2',
        busybox,
        'sh',
        '-c',
        'cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; cat /etc/hostname',
      ],
      { store },
    );
    const [hosts, resolv, hostname] = r.stdout.split('---\n');
    expect(hosts).toMatch(/^192\.0\.2\.10\tdb\.internal$/m);
    expect(hosts).toMatch(/^10\.0\.2\.100\tnetbox$/m);
    expect(hosts).toMatch(/^127\.0\.0\.1\tlocalhost$/m);
    expect(resolv).toBe('search example.test\nnameserver 192.0.2.53\noptions ndots:2\n');
    expect(hostname).toBe('netbox\n');
  });

  it('resolves its own hostname (through /etc/hosts) to its address', async () => {
    // The name goes through the C library's resolver (wget), to a server on the container's own address.
    const script =
      'mkdir /www && hostname > /www/index.html && (httpd -f -p 8000 -h /www &) && sleep 0.3 && ' +
      'wget -q -O - "http://$(hostname):8000/" && ping -c 1 -W 2 "$(hostname)" | head -1';
    const r = await berth(['run', '--rm', '--hostname', 'selfname', busybox, 'sh', '-c', script], { store });
    expect(r.stdout).toMatch(/^selfname\n/);
    expect(r.stdout).toMatch(/PING selfname \(10\.0\.2\.100\)/);
  });

  it('--network container:NAME joins the other container: same interfaces, its server on localhost', async () => {
    const a = uniqueName('nsa');
    await berth(['run', '-d', '--name', a, '--hostname', 'host-a', busybox, ...httpd('from-a')], { store });
    const r = await berth(
      [
        'run',
        '--rm',
        '--network',
        `container:${a}`,
        busybox,
        'sh',
        '-c',
        'sleep 0.3; wget -q -O - http://127.0.0.1:80/; ip -o -4 addr show tap0; grep host-a /etc/hosts',
      ],
      { store },
    );
    expect(r.stdout).toMatch(/^from-a\n/);
    expect(r.stdout).toMatch(/tap0\s+inet 10\.0\.2\.100/);
    expect(r.stdout).toMatch(/10\.0\.2\.100\thost-a/);
    await berth(['rm', '-f', a], { store });
    const gone = await berth(
      ['run', '--rm', '--network', `container:${uniqueName('nobody')}`, busybox, 'true'],
      {
        store,
        expectExit: 125,
      },
    );
    expect(gone.stderr).toMatch(/no such container/);
  });
});

describe('no slirp4netns outlives its container', () => {
  it('when the container exits by itself (detached, no berth process left)', async () => {
    const name = uniqueName('short');
    const id = (
      await berth(['run', '-d', '--name', name, '-p', '80', busybox, 'sleep', '1'], { store })
    ).stdout.trim();
    const slirp = slirpPid(id);
    await slirpGone(slirp);
    await waitFor('exit recorded', async () => (await psStatus(store, name)).startsWith('Exited'));
    await berth(['rm', name], { store });
  });

  it('when the berth process that started it is killed with SIGKILL', async () => {
    const name = uniqueName('orphan');
    // Foreground run: no exit command; the CLI would have cleaned up itself.
    const child = spawnBerthPiped(['run', '--name', name, '-p', '80', busybox, 'sleep', '2'], store);
    let id = '';
    await waitFor('the container to run', async () => {
      const r = await berth(['ps', '-q', '--no-trunc', '--filter', `name=^${name}$`], { store });
      id = r.stdout.trim();
      if (!id) return false;
      try {
        return Number(readFileSync(join(store.runRoot, 'containers', id, 'slirp4netns.pid'), 'utf8')) > 0;
      } catch {
        return false;
      }
    });
    const slirp = slirpPid(id);
    child.kill('SIGKILL');
    await exitOf(child);
    // No berth command runs from here on until slirp4netns is gone: the monitor's end closes its exit pipe.
    await slirpGone(slirp);
    await berth(['rm', '-f', name], { store });
  });

  it('leaves nothing of the store behind', async () => {
    await waitForNoLeaks(store);
  });
});

describe.runIf(ctx.isRoot)('as root', () => {
  let rootStore: TestStore;
  const root = (args: string[], opts: { expectExit?: number } = {}) =>
    berth(args, { store: rootStore, as: 'root', ...opts });
  beforeAll(async () => {
    rootStore = newTestStore('network-root');
    await root(['pull', '-q', busybox]);
  });
  afterAll(async () => {
    await removeAll(rootStore, 'root');
    await settle(rootStore);
    assertNoLeaks(rootStore);
    await rootStore.cleanup();
  });

  it('the same flags work: -p serves, port reports, rm -f ends slirp4netns', async () => {
    const name = uniqueName('rootweb');
    const hostPort = await freePort();
    const id = (
      await root(['run', '-d', '--name', name, '-p', `127.0.0.1:${hostPort}:80`, busybox, ...httpd('root')])
    ).stdout.trim();
    const slirp = slirpPid(id, rootStore);
    expect(await fetchText(hostPort)).toBe('root\n');
    expect((await root(['port', name])).stdout).toBe(`80/tcp -> 127.0.0.1:${hostPort}\n`);
    expect((await root(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', name])).stdout.trim()).toBe(
      '10.0.2.100',
    );
    await root(['rm', '-f', name]);
    await slirpGone(slirp);
  });
});
