import type { NetworkSpec } from '../../spec/options.js';
import { BerthError } from '../../util/errors.js';
import type { Container, ContainerEngine } from './common.js';

/**
 * A container's network, from `--network` and friends. `create` plans it (pure: the spec's
 * namespace mode and the files the container sees); `start` brings it up once the runtime
 * has created the container's network namespace; cleanup and removal take it down.
 */
export interface NetworkRequest {
  /** `--network`: slirp4netns[:opts] | pasta | none | host | container:NAME; default per host. */
  mode?: string;
  publish: string[];
  publishAll: boolean;
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  addHost: string[];
}

/** What the record keeps about the network (inspect, ps PORTS, start). */
export interface NetworkConfig {
  mode: 'host' | 'none' | 'private';
  /** The network stack serving a private namespace, if any (e.g. slirp4netns). */
  stack?: string;
  stackOptions?: string[];
  /** Container id whose namespace is joined (`container:NAME`). */
  joinContainer?: string;
  ports: PortMapping[];
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  addHost: string[];
}

export interface PortMapping {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface NetworkPlan {
  spec: NetworkSpec;
  config: NetworkConfig;
}

export function emptyNetworkRequest(): NetworkRequest {
  return { publish: [], publishAll: false, dns: [], dnsSearch: [], dnsOption: [], addHost: [] };
}

/** Plans the network for a new container: no processes, no files. */
export async function planNetwork(
  _e: ContainerEngine,
  req: NetworkRequest,
  _image: { exposedPorts: string[] },
): Promise<NetworkPlan> {
  const mode = req.mode ?? 'private';
  const base = { ports: [], dns: req.dns, dnsSearch: req.dnsSearch, dnsOption: req.dnsOption, addHost: req.addHost };
  if (req.publish.length || req.publishAll) {
    throw new BerthError('publishing ports (-p, -P) needs a network stack, which this build does not have yet');
  }
  switch (mode) {
    case 'host':
      return { spec: { mode: 'host' }, config: { mode: 'host', ...base } };
    case 'none':
      return { spec: { mode: 'none' }, config: { mode: 'none', ...base } };
    case 'private':
      return { spec: { mode: 'private' }, config: { mode: 'private', ...base } };
    default:
      throw new BerthError(`network mode "${mode}" is not supported yet`);
  }
}

/** Brings the network up for a created container whose init has pid `pid`. */
export async function startNetwork(_e: ContainerEngine, _rec: Container, _pid: number): Promise<void> {
  // none, host and a bare private namespace need nothing from us.
}

/** Takes down whatever startNetwork started. Idempotent; runs after crashes too. */
export async function stopNetwork(_e: ContainerEngine, _rec: Container): Promise<void> {}

/** Pure: the /etc/hosts and /etc/resolv.conf a container sees. */
export function networkFiles(
  config: NetworkConfig,
  hostname: string,
  hostResolvConf: string,
): { hosts: string; resolv: string } {
  let hosts = `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`;
  for (const h of config.addHost) {
    const i = h.indexOf(':');
    if (i <= 0) throw new BerthError(`invalid --add-host "${h}": want HOST:IP`);
    hosts += `${h.slice(i + 1)}\t${h.slice(0, i)}\n`;
  }
  // Nameservers on the host's loopback cannot be reached from a namespace of its own.
  const hostLines = hostResolvConf.split('\n').filter((l) => l.trim() !== '');
  const keep = (l: string) => config.mode === 'host' || !/^\s*nameserver\s+(127\.|::1)/.test(l);
  const lines: string[] = [];
  const search = config.dnsSearch.length ? [`search ${config.dnsSearch.join(' ')}`] : hostLines.filter((l) => /^\s*search\s/.test(l));
  const servers = config.dns.length ? config.dns.map((d) => `nameserver ${d}`) : hostLines.filter((l) => /^\s*nameserver\s/.test(l) && keep(l));
  const options = config.dnsOption.length ? [`options ${config.dnsOption.join(' ')}`] : hostLines.filter((l) => /^\s*options\s/.test(l));
  lines.push(...search, ...servers, ...options);
  return { hosts, resolv: lines.length ? `${lines.join('\n')}\n` : '' };
}
