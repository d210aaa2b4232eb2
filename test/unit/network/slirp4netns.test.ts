import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pastaArgv } from '../../../src/network/pasta.js';
import {
  addHostfwd,
  defaultSlirpOptions,
  parseSlirpOptions,
  slirpAddresses,
  slirpApi,
  slirpArgv,
} from '../../../src/network/slirp4netns.js';

describe('slirp4netns options', () => {
  it("takes Podman's options", () => {
    expect(parseSlirpOptions([])).toEqual(defaultSlirpOptions());
    expect(
      parseSlirpOptions([
        'allow_host_loopback=true',
        'mtu=1500',
        'cidr=10.5.0.0/16',
        'enable_ipv6=true',
        'outbound_addr=192.168.1.2',
        'port_handler=slirp4netns',
      ]),
    ).toEqual({
      allowHostLoopback: true,
      mtu: 1500,
      cidr: '10.5.0.0/16',
      enableIPv6: true,
      outboundAddr: '192.168.1.2',
    });
  });

  it('refuses the ones it cannot honour, clearly', () => {
    expect(() => parseSlirpOptions(['port_handler=rootlesskit'])).toThrow(/rootlesskit is not supported/);
    expect(() => parseSlirpOptions(['nope=1'])).toThrow(/unknown slirp4netns option "nope"/);
    expect(() => parseSlirpOptions(['allow_host_loopback=yes'])).toThrow(/true or false/);
    expect(() => parseSlirpOptions(['mtu=10'])).toThrow(/mtu/);
    expect(() => parseSlirpOptions(['cidr=10.0.2.0/28'])).toThrow(/prefix/);
    expect(() => parseSlirpOptions(['outbound_addr=eth0'])).toThrow(/IPv4/);
  });

  it('computes the guest address, gateway and resolver from the cidr', () => {
    expect(slirpAddresses()).toEqual({
      address: '10.0.2.100',
      gateway: '10.0.2.2',
      dns: '10.0.2.3',
      prefixLen: 24,
    });
    expect(slirpAddresses('10.5.7.9/16')).toEqual({
      address: '10.5.0.100',
      gateway: '10.5.0.2',
      dns: '10.5.0.3',
      prefixLen: 16,
    });
    expect(() => slirpAddresses('10.0.2.0')).toThrow(/CIDR/);
  });

  it('builds the command line', () => {
    expect(slirpArgv(defaultSlirpOptions(), 42, { sandbox: true, exitFd: true })).toEqual([
      '--configure',
      '--mtu=65520',
      '--disable-host-loopback',
      '--enable-sandbox',
      '--enable-seccomp',
      '--api-socket',
      'slirp.sock',
      '--exit-fd',
      '3',
      '--ready-fd',
      '4',
      '42',
      'tap0',
    ]);
    const a = slirpArgv({ ...defaultSlirpOptions(), allowHostLoopback: true, cidr: '10.5.0.0/16' }, 7, {
      sandbox: false,
      exitFd: false,
    });
    expect(a).not.toContain('--disable-host-loopback');
    expect(a).not.toContain('--exit-fd');
    expect(a).not.toContain('--enable-sandbox');
    expect(a).toContain('--cidr=10.5.0.0/16');
  });
});

describe('pasta', () => {
  it('forwards the published ports and nothing else', () => {
    const argv = pastaArgv(
      9,
      [
        { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
      ],
      '/run/x/pasta.pid',
    );
    expect(argv.join(' ')).toBe(
      '--config-net --quiet --pid /run/x/pasta.pid -t 8080:80 -u 127.0.0.1/5353:53 -T none -U none --netns /proc/9/ns/net',
    );
  });
});

describe('the API client', () => {
  let dir = '';
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A stand-in for slirp4netns's API socket: reads one request, answers, closes. */
  function fakeApi(
    path: string,
    answer: (req: Record<string, unknown>) => unknown,
  ): Promise<Record<string, unknown>[]> {
    const seen: Record<string, unknown>[] = [];
    server = createServer((c) => {
      let buf = '';
      c.on('data', (d) => {
        buf += d.toString();
      });
      c.on('end', () => {
        const req = JSON.parse(buf) as Record<string, unknown>;
        seen.push(req);
        c.end(JSON.stringify(answer(req)));
      });
    });
    return new Promise((resolve) => server?.listen(path, () => resolve(seen)));
  }

  it('sends add_hostfwd and reports an error answer as an allocated port', async () => {
    // A directory deep enough that the socket path passes sun_path's 108 bytes.
    dir = mkdtempSync(join(tmpdir(), 'berth-slirp-'));
    const deep = join(dir, 'x'.repeat(60), 'y'.repeat(60));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(deep, { recursive: true });
    const sock = join(deep, 'slirp.sock');
    expect(Buffer.byteLength(sock)).toBeGreaterThan(108);
    // Node cannot bind such a path either: listen through the same /proc/self/fd trick.
    const { openSync, closeSync } = await import('node:fs');
    const fd = openSync(deep, 'r');
    const seen = await fakeApi(`/proc/self/fd/${fd}/slirp.sock`, (req) =>
      (req.arguments as { host_port?: number } | undefined)?.host_port === 9999
        ? { error: { desc: 'bad request: add_hostfwd: slirp_add_hostfwd failed' } }
        : { return: { id: 1 } },
    );
    closeSync(fd);
    await addHostfwd(sock, {
      proto: 'tcp',
      hostAddr: '0.0.0.0',
      hostPort: 8080,
      guestAddr: '10.0.2.100',
      guestPort: 80,
    });
    expect(seen[0]).toEqual({
      execute: 'add_hostfwd',
      arguments: {
        proto: 'tcp',
        host_addr: '0.0.0.0',
        host_port: 8080,
        guest_addr: '10.0.2.100',
        guest_port: 80,
      },
    });
    await expect(
      addHostfwd(sock, {
        proto: 'tcp',
        hostAddr: '0.0.0.0',
        hostPort: 9999,
        guestAddr: '10.0.2.100',
        guestPort: 80,
      }),
    ).rejects.toThrow(/0\.0\.0\.0:9999\/tcp: port is already allocated/);
    expect(await slirpApi(sock, { execute: 'list_hostfwd' })).toEqual({ return: { id: 1 } });
  });

  it('names the port when the socket is not there', async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-slirp-'));
    await expect(
      addHostfwd(join(dir, 'none.sock'), {
        proto: 'udp',
        hostAddr: '0.0.0.0',
        hostPort: 53,
        guestAddr: '10.0.2.100',
        guestPort: 53,
      }),
    ).rejects.toThrow(/publishing port 0\.0\.0\.0:53: slirp4netns API/);
  });
});
