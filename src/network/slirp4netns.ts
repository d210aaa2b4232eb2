import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { BerthError, errorMessage } from '../util/errors.js';
import { processRunning } from '../sys/proc.js';
import { debug } from '../util/log.js';
import { isIPv4 } from './ports.js';

/**
 * slirp4netns: the userspace network stack for a container's namespace (Podman's rootless
 * default), and the client of its API socket, which publishes ports (`add_hostfwd`).
 *
 * Lifetime: slirp4netns polls its --exit-fd and quits when the other end goes away. That other
 * end is handed to the container's monitor when it starts (see `network.ts`), so the stack
 * ends with the monitor, whichever berth process is or is not alive at that moment.
 */

export const SLIRP_FILES = { socket: 'slirp.sock', pid: 'slirp4netns.pid', log: 'slirp4netns.log' } as const;

/** Podman's `--network slirp4netns:...` options, the ones berth can honour. */
export interface SlirpOptions {
  allowHostLoopback: boolean;
  cidr?: string;
  enableIPv6: boolean;
  mtu: number;
  outboundAddr?: string;
  outboundAddr6?: string;
}

export function defaultSlirpOptions(): SlirpOptions {
  return { allowHostLoopback: false, enableIPv6: false, mtu: 65520 };
}

function bool(name: string, v: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new BerthError(`invalid slirp4netns option ${name}=${v}: want true or false`);
}

/** Parses `allow_host_loopback=true,mtu=1500` (already split on commas). Pure. */
export function parseSlirpOptions(opts: string[]): SlirpOptions {
  const o = defaultSlirpOptions();
  for (const opt of opts) {
    const i = opt.indexOf('=');
    const name = i < 0 ? opt : opt.slice(0, i);
    const v = i < 0 ? '' : opt.slice(i + 1);
    switch (name) {
      case 'allow_host_loopback':
        o.allowHostLoopback = bool(name, v);
        break;
      case 'enable_ipv6':
        o.enableIPv6 = bool(name, v);
        break;
      case 'mtu':
        if (!/^\d+$/.test(v) || Number(v) < 68 || Number(v) > 65521) {
          throw new BerthError(`invalid slirp4netns option mtu=${v}: want 68-65521`);
        }
        o.mtu = Number(v);
        break;
      case 'cidr':
        slirpAddresses(v); // validates
        o.cidr = v;
        break;
      case 'outbound_addr':
        if (!isIPv4(v))
          throw new BerthError(`invalid slirp4netns option outbound_addr=${v}: want an IPv4 address`);
        o.outboundAddr = v;
        break;
      case 'outbound_addr6':
        if (!/^[0-9a-fA-F:]+$/.test(v) || !v.includes(':')) {
          throw new BerthError(`invalid slirp4netns option outbound_addr6=${v}: want an IPv6 address`);
        }
        o.outboundAddr6 = v;
        break;
      case 'port_handler':
        if (v === 'slirp4netns') break;
        if (v === 'rootlesskit') {
          throw new BerthError('slirp4netns option port_handler=rootlesskit is not supported', {
            hint: 'berth publishes ports through slirp4netns itself (port_handler=slirp4netns), which keeps client addresses',
          });
        }
        throw new BerthError(`invalid slirp4netns option port_handler=${v}: want slirp4netns`);
      default:
        throw new BerthError(`unknown slirp4netns option "${name}"`, {
          hint: 'supported: allow_host_loopback, cidr, enable_ipv6, mtu, outbound_addr, outbound_addr6, port_handler',
        });
    }
  }
  return o;
}

/** The container's side of a slirp4netns network: its address, gateway and resolver. Pure. */
export function slirpAddresses(cidr = '10.0.2.0/24'): {
  address: string;
  gateway: string;
  dns: string;
  prefixLen: number;
} {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m || !isIPv4(m[1]))
    throw new BerthError(`invalid slirp4netns option cidr=${cidr}: want an IPv4 CIDR like 10.0.2.0/24`);
  const prefixLen = Number(m[2]);
  // slirp4netns puts the guest at network+100, so the prefix leaves room for it.
  if (prefixLen < 1 || prefixLen > 25)
    throw new BerthError(`invalid slirp4netns option cidr=${cidr}: prefix must be 1-25`);
  const n = m[1].split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const mask = prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
  const net = (n & mask) >>> 0;
  const ip = (x: number) => [24, 16, 8, 0].map((s) => (x >>> s) & 255).join('.');
  return { address: ip(net + 100), gateway: ip(net + 2), dns: ip(net + 3), prefixLen };
}

/** slirp4netns's arguments: fds 3 (exit) and 4 (ready); the API socket relative to its cwd. Pure. */
export function slirpArgv(
  o: SlirpOptions,
  pid: number,
  opts: { sandbox: boolean; exitFd: boolean },
): string[] {
  const argv = ['--configure', `--mtu=${o.mtu}`];
  if (!o.allowHostLoopback) argv.push('--disable-host-loopback');
  if (o.cidr) argv.push(`--cidr=${o.cidr}`);
  if (o.enableIPv6) argv.push('--enable-ipv6');
  if (o.outboundAddr) argv.push(`--outbound-addr=${o.outboundAddr}`);
  if (o.outboundAddr6) argv.push(`--outbound-addr6=${o.outboundAddr6}`);
  if (opts.sandbox) argv.push('--enable-sandbox', '--enable-seccomp');
  argv.push('--api-socket', SLIRP_FILES.socket);
  if (opts.exitFd) argv.push('--exit-fd', '3');
  argv.push('--ready-fd', '4', String(pid), 'tap0');
  return argv;
}

export interface StartSlirpOptions {
  binary: string;
  /** The container's init: its network namespace is the one served. */
  pid: number;
  /** Where the API socket, pid file and log go (the container's persist dir). */
  dir: string;
  options: SlirpOptions;
  /** Read end of the exit pipe: slirp4netns quits when every write end is closed. */
  exitFd?: number;
  timeoutMs?: number;
}

function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('WARNING') && !l.startsWith('*'));
  return lines.slice(-3).join('; ');
}

/** Starts slirp4netns for a namespace and waits until it has configured tap0. */
export async function startSlirp4netns(o: StartSlirpOptions): Promise<{ pid: number }> {
  const logPath = join(o.dir, SLIRP_FILES.log);
  await rm(join(o.dir, SLIRP_FILES.socket), { force: true });
  const log = openSync(logPath, 'w');
  const argv = slirpArgv(o.options, o.pid, { sandbox: true, exitFd: o.exitFd !== undefined });
  debug(`slirp4netns ${argv.join(' ')}`);
  const child = spawn(o.binary, argv, {
    cwd: o.dir,
    // Its own session: a terminal's signals to the CLI must not reach it.
    detached: true,
    stdio: ['ignore', log, log, o.exitFd ?? 'ignore', 'pipe'],
  });
  closeSync(log);
  const ready = child.stdio[4] as NodeJS.ReadableStream & { destroy(): void };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready after ${o.timeoutMs ?? 10_000} ms`)),
        o.timeoutMs ?? 10_000,
      );
      const done = (err?: Error) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      ready.once('data', () => done());
      child.once('error', (e) => done(e));
      child.once('exit', (code, sig) => done(new Error(`exited (${sig ?? code})`)));
    });
  } catch (err) {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone
    }
    const why = lastLines(readFileSync(logPath, 'utf8'));
    throw new BerthError(
      `setting up the network (slirp4netns): ${errorMessage(err)}${why ? `: ${why}` : ''}`,
    );
  } finally {
    ready.destroy();
    child.removeAllListeners();
    child.unref();
  }
  if (!child.pid) throw new BerthError('setting up the network (slirp4netns): no pid');
  await writeFile(join(o.dir, SLIRP_FILES.pid), String(child.pid));
  return { pid: child.pid };
}

function isSlirp(pid: number): boolean {
  return processRunning(pid, 'slirp4netns');
}

/** Ends the slirp4netns of a persist dir, if any, and forgets its files. Idempotent. */
export async function stopSlirp4netns(dir: string): Promise<void> {
  const pid = Number(await readFile(join(dir, SLIRP_FILES.pid), 'utf8').catch(() => '0'));
  if (pid > 0 && isSlirp(pid)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    // It usually goes within a few ms: poll often at first, then back off (500 ms at most).
    for (
      let waited = 0, step = 1;
      waited < 500 && isSlirp(pid);
      waited += step, step = Math.min(step * 2, 50)
    ) {
      await new Promise((r) => setTimeout(r, step));
    }
    if (isSlirp(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await Promise.all(Object.values(SLIRP_FILES).map((f) => rm(join(dir, f), { force: true })));
}

const SUN_PATH_MAX = 107;

/** One request on the API socket: slirp4netns answers and closes the connection. */
export async function slirpApi(socketPath: string, request: unknown): Promise<Record<string, unknown>> {
  let dirFd: number | undefined;
  let path = socketPath;
  if (Buffer.byteLength(path) > SUN_PATH_MAX) {
    // Node cuts long socket paths silently; reach the directory through an fd instead.
    dirFd = openSync(dirname(socketPath), 'r');
    path = `/proc/self/fd/${dirFd}/${basename(socketPath)}`;
  }
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const sock = connect({ path });
      const chunks: Buffer[] = [];
      sock.setTimeout(10_000, () => sock.destroy(new Error('no answer in 10 s')));
      sock.on('connect', () => sock.end(JSON.stringify(request)));
      sock.on('data', (c: Buffer) => chunks.push(c));
      sock.on('end', () => resolve(Buffer.concat(chunks).toString()));
      sock.on('error', reject);
    });
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`unexpected answer ${JSON.stringify(text.slice(0, 200))}`);
    }
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
  }
}

/** Forwards a host port to the container; an error names the port. */
export async function addHostfwd(
  socketPath: string,
  fwd: { proto: 'tcp' | 'udp'; hostAddr: string; hostPort: number; guestAddr: string; guestPort: number },
): Promise<void> {
  let answer: Record<string, unknown>;
  try {
    answer = await slirpApi(socketPath, {
      execute: 'add_hostfwd',
      arguments: {
        proto: fwd.proto,
        host_addr: fwd.hostAddr,
        host_port: fwd.hostPort,
        guest_addr: fwd.guestAddr,
        guest_port: fwd.guestPort,
      },
    });
  } catch (err) {
    throw new BerthError(
      `publishing port ${fwd.hostAddr}:${fwd.hostPort}: slirp4netns API: ${errorMessage(err)}`,
    );
  }
  if (answer.error) {
    const desc = (answer.error as { desc?: string }).desc ?? JSON.stringify(answer.error);
    throw new BerthError(
      `publishing port ${fwd.hostAddr}:${fwd.hostPort}/${fwd.proto}: ${/failed/.test(desc) ? 'port is already allocated' : desc} (slirp4netns: ${desc})`,
    );
  }
}
