import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findNetworkBackends } from '../../network/detect.js';
import {
  type ActivePort,
  dockerPortBindings,
  dockerPortMap,
  formatPortsColumn,
  type PortMapping,
  planPorts,
} from '../../network/ports.js';
import { parseSlirpOptions, slirpAddresses } from '../../network/slirp4netns.js';
import type { NetworkSpec } from '../../spec/options.js';
import { BerthError, errorMessage } from '../../util/errors.js';
import { debug, warn } from '../../util/log.js';
import { trace } from '../../util/trace.js';
import type { Container, ContainerEngine } from './common.js';

export type { ActivePort, PortMapping } from '../../network/ports.js';

/**
 * A container's network, from `--network` and friends. `create` plans it (pure: the spec's
 * namespace mode and the files the container sees); `start` prepares it before the monitor
 * runs (the exit pipe the monitor holds, a joined namespace's current path) and brings it up
 * once the runtime has created the container's network namespace; cleanup and removal take
 * it down.
 */
export interface NetworkRequest {
  /** `--network`: slirp4netns[:opts] | pasta | none | host | container:NAME | ns:PATH; default per host. */
  mode?: string;
  publish: string[];
  publishAll: boolean;
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  addHost: string[];
}

export type NetworkStack = 'slirp4netns' | 'pasta';

/** What the record keeps about the network (inspect, ps PORTS, start). */
export interface NetworkConfig {
  mode: 'host' | 'none' | 'private';
  /** The network stack serving a private namespace, if any (e.g. slirp4netns). */
  stack?: NetworkStack;
  stackOptions?: string[];
  /** Container id whose namespace is joined (`container:NAME`). */
  joinContainer?: string;
  /** `ns:PATH`: a namespace made by someone else. */
  nsPath?: string;
  ports: PortMapping[];
  /** The image's EXPOSE keys (`80/tcp`), shown by inspect. */
  exposed?: string[];
  /** The container's own address on its stack's network. */
  address?: { ip: string; prefixLen: number; gateway: string };
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  addHost: string[];
  /** Host ports bound while the container runs (set at start; random ports get chosen then). */
  activePorts?: ActivePort[];
}

export interface NetworkPlan {
  spec: NetworkSpec;
  config: NetworkConfig;
}

export function emptyNetworkRequest(): NetworkRequest {
  return { publish: [], publishAll: false, dns: [], dnsSearch: [], dnsOption: [], addHost: [] };
}

export type ParsedMode =
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'stack'; stack?: NetworkStack; options: string[] }
  | { kind: 'container'; name: string }
  | { kind: 'ns'; path: string };

/** `--network` as berth understands it; `stack` undefined means the host's default. Pure. */
export function parseNetworkMode(mode: string | undefined): ParsedMode {
  const m = (mode ?? '').trim();
  if (m === '' || m === 'default' || m === 'bridge' || m === 'private') return { kind: 'stack', options: [] };
  if (m === 'host' || m === 'none') return { kind: m };
  const i = m.indexOf(':');
  const head = i < 0 ? m : m.slice(0, i);
  const rest = i < 0 ? '' : m.slice(i + 1);
  switch (head) {
    case 'slirp4netns':
    case 'pasta':
      return { kind: 'stack', stack: head, options: rest ? rest.split(',').filter((o) => o) : [] };
    case 'container':
      if (!rest) throw new BerthError('invalid network "container:": want container:NAME');
      return { kind: 'container', name: rest };
    case 'ns':
      if (!rest.startsWith('/')) throw new BerthError(`invalid network "${m}": want ns:/absolute/path`);
      return { kind: 'ns', path: rest };
  }
  throw new BerthError(`network ${m} not found`, {
    hint: 'berth networks: slirp4netns[:OPTIONS], pasta, none, host, container:NAME, ns:PATH',
  });
}

/** Plans the network for a new container: no processes, no files. */
export async function planNetwork(
  e: ContainerEngine,
  req: NetworkRequest,
  image: { exposedPorts: string[] },
): Promise<NetworkPlan> {
  const parsed = parseNetworkMode(req.mode);
  const ports = planPorts(req.publish, req.publishAll, image.exposedPorts);
  const base = {
    ports: [] as PortMapping[],
    exposed: image.exposedPorts,
    dns: req.dns,
    dnsSearch: req.dnsSearch,
    dnsOption: req.dnsOption,
    addHost: req.addHost,
  };
  // Refused now, not when the files are written: a bad entry must not leave a container.
  for (const h of req.addHost) parseAddHost(h);
  switch (parsed.kind) {
    case 'host':
      if (ports.length) warn('published ports are discarded when using host network mode');
      return { spec: { mode: 'host' }, config: { mode: 'host', ...base } };
    case 'none':
    case 'container':
    case 'ns':
      if (ports.length) {
        throw new BerthError(`conflicting options: port publishing and the ${parsed.kind} network mode`);
      }
  }
  if (parsed.kind === 'none') return { spec: { mode: 'none' }, config: { mode: 'none', ...base } };
  if (parsed.kind === 'ns') {
    return {
      spec: { mode: 'private', nsPath: parsed.path },
      config: { mode: 'private', nsPath: parsed.path, ...base },
    };
  }
  if (parsed.kind === 'container') {
    const other = await e.containers.find<{ network?: NetworkConfig }>(parsed.name);
    if (!other || other.incomplete)
      throw new BerthError(`no such container: ${parsed.name}`, { code: 'not-found' });
    // The path is set again at each start (the other container's pid changes).
    const pid = other.state.status === 'running' || other.state.status === 'paused' ? other.state.pid : 0;
    return {
      spec: { mode: 'private', nsPath: `/proc/${pid}/ns/net` },
      config: { mode: 'private', joinContainer: other.id, ...base },
    };
  }
  const backends = findNetworkBackends();
  const stack = parsed.stack ?? backends.default;
  if (!stack) {
    throw new BerthError('no network stack for the container: neither slirp4netns nor pasta is installed', {
      hint: 'install slirp4netns (apt-get install slirp4netns), or use --network none or --network host',
    });
  }
  if (!backends[stack]) {
    throw new BerthError(`network ${stack}: ${stack} is not installed`, {
      hint:
        stack === 'pasta'
          ? 'install the passt package, or use the default slirp4netns'
          : 'apt-get install slirp4netns',
    });
  }
  let address: NetworkConfig['address'];
  if (stack === 'slirp4netns') {
    const o = parseSlirpOptions(parsed.options);
    const a = slirpAddresses(o.cidr);
    address = { ip: a.address, prefixLen: a.prefixLen, gateway: a.gateway };
  } else if (parsed.options.length) {
    throw new BerthError(`network pasta: options are not supported (${parsed.options.join(',')})`);
  }
  return {
    spec: { mode: 'private' },
    config: { mode: 'private', stack, stackOptions: parsed.options, address, ...base, ports },
  };
}

/** What `prepareNetwork` made for one start; `close` it once the network is up (or failed). */
export interface NetworkStart {
  /** Fds the monitor must inherit and keep for its whole life. */
  monitorFds: number[];
  /** Read end of the stack's exit pipe: the stack quits when the monitor's write end closes. */
  exitRead?: number;
  close(): void;
}

function isRunning(rec: { state: { status: string } }): boolean {
  return rec.state.status === 'running' || rec.state.status === 'paused' || rec.state.status === 'stopping';
}

/**
 * Before the monitor starts: an exit pipe for the stack (a fifo opened at both ends and
 * unlinked: the monitor inherits the write end and keeps it until it ends, so the stack ends
 * with the container even when no berth process is left), and, for `container:NAME`, the
 * other container's namespace path and files as they are now.
 */
export async function prepareNetwork(e: ContainerEngine, rec: Container): Promise<NetworkStart> {
  const net = rec.config.network;
  const fds: number[] = [];
  const start: NetworkStart = {
    monitorFds: [],
    close() {
      for (const fd of fds.splice(0)) closeSync(fd);
    },
  };
  const p = e.containers.paths(rec.id);
  if (net.joinContainer) {
    await joinContainerNetwork(e, rec, net.joinContainer);
    return start;
  }
  if (!net.stack) return start;
  // A restart (policy or `start` again) may find the previous run's stack still winding down.
  await stopNetwork(e, rec);
  if (net.stack !== 'slirp4netns') return start;
  await mkdir(p.persist, { recursive: true, mode: 0o700 });
  const fifo = join(p.persist, 'net-exit');
  await rm(fifo, { force: true });
  const { mknod } = await import('../../sys/libc.js');
  mknod(fifo, 0o010000 | 0o600);
  try {
    // Reader first: a fifo reports hang-up only for writers that came after the reader.
    start.exitRead = openSync(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    fds.push(start.exitRead);
    const w = openSync(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
    fds.push(w);
    start.monitorFds.push(w);
  } catch (err) {
    start.close();
    throw new BerthError(`setting up the network: exit pipe: ${errorMessage(err)}`);
  } finally {
    await rm(fifo, { force: true });
  }
  return start;
}

async function joinContainerNetwork(e: ContainerEngine, rec: Container, otherId: string): Promise<void> {
  const other = await e.containers.read<{ network?: NetworkConfig }>(otherId);
  if (!other)
    throw new BerthError(`joining the network of container ${otherId.slice(0, 12)}: no such container`);
  if (!isRunning(other) || !other.state.pid) {
    throw new BerthError(`cannot join the network of a non-running container: ${other.name}`, {
      code: 'conflict',
    });
  }
  const p = e.containers.paths(rec.id);
  const op = e.containers.paths(otherId);
  const configPath = join(p.bundle, 'config.json');
  const spec = JSON.parse(await readFile(configPath, 'utf8')) as {
    linux?: { namespaces?: { type: string; path?: string }[] };
  };
  for (const ns of spec.linux?.namespaces ?? [])
    if (ns.type === 'network') ns.path = `/proc/${other.state.pid}/ns/net`;
  await writeFile(configPath, JSON.stringify(spec));
  // The same network, the same names: Docker shares the other container's hosts and resolv.conf.
  for (const f of ['hosts', 'resolv.conf']) {
    await copyFile(join(op.userdata, f), join(p.userdata, f)).catch((err) =>
      debug(`copy ${f}: ${errorMessage(err)}`),
    );
  }
}

/** Brings the network up for a created container whose init has pid `pid` (not started yet). */
export async function startNetwork(
  e: ContainerEngine,
  rec: Container,
  pid: number,
  prep?: NetworkStart,
): Promise<void> {
  const net = rec.config.network;
  net.activePorts = undefined;
  if (!net.stack) return;
  const dir = e.containers.paths(rec.id).persist;
  const backends = findNetworkBackends();
  const binary = backends[net.stack];
  if (!binary) throw new BerthError(`network ${net.stack}: ${net.stack} is not installed`);
  const { allocateHostPorts } = await import('../../network/host-ports.js');
  const active = await allocateHostPorts(net.ports);
  try {
    if (net.stack === 'pasta') {
      const { startPasta } = await import('../../network/pasta.js');
      await startPasta(binary, pid, active, dir);
    } else {
      const { addHostfwd, startSlirp4netns, SLIRP_FILES } = await import('../../network/slirp4netns.js');
      const options = parseSlirpOptions(net.stackOptions ?? []);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await startSlirp4netns({ binary, pid, dir, options, exitFd: prep?.exitRead });
      trace('start: slirp4netns ready');
      const guestAddr = slirpAddresses(options.cidr).address;
      for (const a of active) {
        await addHostfwd(join(dir, SLIRP_FILES.socket), {
          proto: a.protocol,
          hostAddr: a.hostIp,
          hostPort: a.hostPort,
          guestAddr,
          guestPort: a.containerPort,
        });
      }
    }
  } catch (err) {
    await stopNetwork(e, rec).catch(() => undefined);
    throw err;
  }
  net.activePorts = active;
  trace('start: network up');
}

/** Takes down whatever startNetwork started. Idempotent; runs after crashes too. */
export async function stopNetwork(e: ContainerEngine, rec: Container): Promise<void> {
  const net = rec.config?.network;
  if (!net?.stack) return;
  const dir = e.containers.paths(rec.id).persist;
  if (net.stack === 'pasta') {
    const { stopPasta } = await import('../../network/pasta.js');
    await stopPasta(dir);
  } else {
    const { stopSlirp4netns } = await import('../../network/slirp4netns.js');
    await stopSlirp4netns(dir);
  }
  net.activePorts = undefined;
}

/** The ports a container has bound on the host now (none unless it runs). */
export function publishedPorts(rec: Container): ActivePort[] {
  return isRunning(rec) ? (rec.config.network?.activePorts ?? []) : [];
}

function parseAddHost(h: string): { host: string; ip: string } {
  const i = h.indexOf(':');
  const host = i < 0 ? '' : h.slice(0, i);
  const ip = i < 0 ? '' : h.slice(i + 1).replace(/^\[(.*)\]$/, '$1');
  if (
    !host ||
    !ip ||
    !/^[0-9a-fA-F.:]+$/.test(ip) ||
    (!ip.includes(':') && !/^\d+\.\d+\.\d+\.\d+$/.test(ip))
  ) {
    throw new BerthError(`invalid --add-host "${h}": want HOST:IP`);
  }
  return { host, ip };
}

/** Pure: the /etc/hosts and /etc/resolv.conf a container sees. */
export function networkFiles(
  config: NetworkConfig,
  hostname: string,
  hostResolvConf: string,
): { hosts: string; resolv: string } {
  let hosts = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n';
  for (const h of config.addHost) {
    const { host, ip } = parseAddHost(h);
    hosts += `${ip}\t${host}\n`;
  }
  // The container's own name resolves to its address on the stack's network, as in Podman.
  hosts += `${config.address?.ip ?? '127.0.1.1'}\t${hostname}\n`;
  // Nameservers on the host's loopback cannot be reached from a namespace of its own.
  const hostLines = hostResolvConf.split('\n').filter((l) => l.trim() !== '');
  const keep = (l: string) => config.mode === 'host' || !/^\s*nameserver\s+(127\.|::1)/.test(l);
  const search = config.dnsSearch.length
    ? [`search ${config.dnsSearch.join(' ')}`]
    : hostLines.filter((l) => /^\s*search\s/.test(l));
  let servers: string[];
  if (config.dns.length) servers = config.dns.map((d) => `nameserver ${d}`);
  else if (config.stack === 'slirp4netns' && config.address) {
    // slirp4netns answers DNS on its own address and asks the host's resolvers.
    servers = [`nameserver ${slirpAddresses(cidrOf(config.address)).dns}`];
  } else servers = hostLines.filter((l) => /^\s*nameserver\s/.test(l) && keep(l));
  const options = config.dnsOption.length
    ? [`options ${config.dnsOption.join(' ')}`]
    : hostLines.filter((l) => /^\s*options\s/.test(l));
  const lines = [...search, ...servers, ...options];
  return { hosts, resolv: lines.length ? `${lines.join('\n')}\n` : '' };
}

function cidrOf(a: { ip: string; prefixLen: number }): string {
  return `${a.ip}/${a.prefixLen}`;
}

/** Docker's NetworkMode words: `slirp4netns`, `pasta`, `host`, `none`, `container:ID`, `ns:PATH`. */
export function networkModeName(net: NetworkConfig | undefined): string {
  if (!net) return 'none';
  if (net.joinContainer) return `container:${net.joinContainer}`;
  if (net.nsPath) return `ns:${net.nsPath}`;
  return net.stack ?? net.mode;
}

/** The network parts of `container inspect`: HostConfig's and NetworkSettings' fields. */
export function inspectNetwork(rec: Container): {
  NetworkMode: string;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  settings: Record<string, unknown>;
} {
  const net = rec.config.network;
  const running = isRunning(rec);
  const addr = running && net?.address ? net.address : undefined;
  return {
    NetworkMode: networkModeName(net),
    PortBindings: dockerPortBindings(net?.ports ?? []),
    settings: {
      Ports: running ? dockerPortMap(publishedPorts(rec), net?.exposed ?? []) : {},
      IPAddress: addr?.ip ?? '',
      IPPrefixLen: addr?.prefixLen ?? 0,
      Gateway: addr?.gateway ?? '',
    },
  };
}

/** The ps PORTS column. */
export function portsColumn(rec: Container): string {
  return isRunning(rec) ? formatPortsColumn(publishedPorts(rec), rec.config.network?.exposed ?? []) : '';
}
