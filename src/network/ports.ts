import { BerthError } from '../util/errors.js';

/**
 * Published ports: Docker's `-p` syntax, the mappings a container asks for, and the ways
 * Docker shows them (`port`, the ps PORTS column, inspect). Pure.
 */

export type PortProtocol = 'tcp' | 'udp';

/** One published port as asked for. A host port of 0 means "any free port". */
export interface PortMapping {
  /** '' when not given (all addresses; Docker keeps it empty in HostConfig). */
  hostIp: string;
  hostPort: number;
  /** With a host port range for one container port (`8000-8010:80`): the range's end; any free port in it. */
  hostPortEnd?: number;
  containerPort: number;
  protocol: PortProtocol;
}

/** A port bound on the host while the container runs. */
export interface ActivePort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: PortProtocol;
}

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(s: string): boolean {
  return IPV4_RE.test(s);
}

function invalid(spec: string, why: string): BerthError {
  return new BerthError(`invalid publish "${spec}": ${why}`, {
    hint: 'want [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp]',
  });
}

function parsePort(spec: string, text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw invalid(spec, `${what} "${text}" is not a number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw invalid(spec, `${what} ${n} is out of range 1-65535`);
  return n;
}

/** `80` or `80-82` as [first, last]. */
function parseRange(spec: string, text: string, what: string): [number, number] {
  const i = text.indexOf('-');
  if (i < 0) {
    const n = parsePort(spec, text, what);
    return [n, n];
  }
  const lo = parsePort(spec, text.slice(0, i), what);
  const hi = parsePort(spec, text.slice(i + 1), what);
  if (hi < lo) throw invalid(spec, `${what} range ${text} ends before it starts`);
  return [lo, hi];
}

/** Splits `[IP:][HOST:]CONTAINER` where IP may be `[v6]`. */
function splitSpec(spec: string, body: string): { ip: string; host?: string; container: string } {
  let rest = body;
  let ip = '';
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0 || rest[end + 1] !== ':') throw invalid(spec, 'unterminated IPv6 address');
    ip = rest.slice(1, end);
    rest = rest.slice(end + 2);
    const j = rest.indexOf(':');
    if (j < 0) throw invalid(spec, 'an address needs a host port field (it may be empty)');
    return { ip, host: rest.slice(0, j), container: rest.slice(j + 1) };
  }
  const parts = rest.split(':');
  if (parts.length === 1) return { ip, container: parts[0] };
  if (parts.length === 2) return { ip, host: parts[0], container: parts[1] };
  if (parts.length === 3) return { ip: parts[0], host: parts[1], container: parts[2] };
  throw invalid(spec, 'too many colons (IPv6 addresses go in brackets)');
}

/** Parses one `-p` value into the mappings it asks for. */
export function parsePublish(spec: string): PortMapping[] {
  const s = spec.trim();
  if (!s) throw invalid(spec, 'empty');
  const slash = s.lastIndexOf('/');
  let protocol: PortProtocol = 'tcp';
  let body = s;
  if (slash >= 0) {
    const p = s.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp') {
      throw invalid(
        spec,
        p === 'sctp' ? 'sctp is not supported by the rootless network stacks' : `unknown protocol "${p}"`,
      );
    }
    protocol = p;
    body = s.slice(0, slash);
  }
  const { ip, host, container } = splitSpec(spec, body);
  if (ip && !isIPv4(ip)) {
    throw invalid(
      spec,
      ip.includes(':') ? 'IPv6 host addresses are not supported' : `"${ip}" is not an IPv4 address`,
    );
  }
  if (!container) throw invalid(spec, 'no container port');
  const [cLo, cHi] = parseRange(spec, container, 'container port');
  const count = cHi - cLo + 1;
  if (host === undefined || host === '') {
    return Array.from({ length: count }, (_, k) => ({
      hostIp: ip,
      hostPort: 0,
      containerPort: cLo + k,
      protocol,
    }));
  }
  const [hLo, hHi] = parseRange(spec, host, 'host port');
  if (hHi - hLo + 1 === count) {
    return Array.from({ length: count }, (_, k) => ({
      hostIp: ip,
      hostPort: hLo + k,
      containerPort: cLo + k,
      protocol,
    }));
  }
  if (count === 1) return [{ hostIp: ip, hostPort: hLo, hostPortEnd: hHi, containerPort: cLo, protocol }];
  throw invalid(spec, `host ports ${host} and container ports ${container} are not the same number of ports`);
}

/** `80/tcp`, `53/udp`, `8080` (EXPOSE keys and `port` filters) as port and protocol. */
export function parsePortKey(key: string): { port: number; protocol: PortProtocol } {
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(key.trim());
  if (!m) throw new BerthError(`invalid port "${key}": want PORT[/PROTO]`);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) throw new BerthError(`invalid port "${key}": out of range 1-65535`);
  const protocol = (m[2] ?? 'tcp').toLowerCase();
  if (protocol === 'sctp') throw new BerthError(`invalid port "${key}": sctp is not supported`);
  return { port, protocol: protocol as PortProtocol };
}

/**
 * Everything `-p` and `-P` ask for: `-P` adds a random host port for each exposed port not
 * published otherwise. Two mappings of one host port (same address and protocol) are refused.
 */
export function planPorts(publish: string[], publishAll: boolean, exposed: string[]): PortMapping[] {
  const out = publish.flatMap(parsePublish);
  if (publishAll) {
    for (const key of exposed) {
      let k: { port: number; protocol: PortProtocol };
      try {
        k = parsePortKey(key);
      } catch {
        continue; // an image's odd EXPOSE (e.g. sctp) is not the user's error
      }
      if (!out.some((m) => m.containerPort === k.port && m.protocol === k.protocol)) {
        out.push({ hostIp: '', hostPort: 0, containerPort: k.port, protocol: k.protocol });
      }
    }
  }
  const seen = new Map<string, PortMapping>();
  for (const m of out) {
    if (!m.hostPort || m.hostPortEnd) continue;
    const key = `${m.protocol}/${m.hostPort}`;
    const other = seen.get(key);
    if (other && (other.hostIp === m.hostIp || !other.hostIp || !m.hostIp)) {
      throw new BerthError(`invalid publish: host port ${m.hostPort}/${m.protocol} is published twice`);
    }
    seen.set(key, m);
  }
  return out;
}

function bindAddr(ip: string): string {
  return ip || '0.0.0.0';
}

/** `docker port` lines: `80/tcp -> 0.0.0.0:8080`, sorted by container port. */
export function formatPortLines(
  ports: ActivePort[],
  filter?: { port: number; protocol: PortProtocol },
): string[] {
  return sortPorts(ports)
    .filter((p) => !filter || (p.containerPort === filter.port && p.protocol === filter.protocol))
    .map((p) =>
      filter
        ? `${bindAddr(p.hostIp)}:${p.hostPort}`
        : `${p.containerPort}/${p.protocol} -> ${bindAddr(p.hostIp)}:${p.hostPort}`,
    );
}

function sortPorts<T extends ActivePort>(ports: T[]): T[] {
  return [...ports].sort(
    (a, b) =>
      a.protocol.localeCompare(b.protocol) || a.containerPort - b.containerPort || a.hostPort - b.hostPort,
  );
}

/**
 * The ps PORTS column as Docker shows it: `0.0.0.0:8080->80/tcp`, consecutive ports folded
 * into ranges (`0.0.0.0:8000-8002->80-82/tcp`), exposed but unpublished ports as `443/tcp`.
 */
export function formatPortsColumn(ports: ActivePort[], exposedOnly: string[] = []): string {
  const sorted = sortPorts(ports);
  const groups: { ip: string; h0: number; h1: number; c0: number; c1: number; proto: string }[] = [];
  for (const p of sorted) {
    const g = groups[groups.length - 1];
    const ip = bindAddr(p.hostIp);
    if (
      g &&
      g.ip === ip &&
      g.proto === p.protocol &&
      g.h1 + 1 === p.hostPort &&
      g.c1 + 1 === p.containerPort
    ) {
      g.h1 = p.hostPort;
      g.c1 = p.containerPort;
    } else {
      groups.push({
        ip,
        h0: p.hostPort,
        h1: p.hostPort,
        c0: p.containerPort,
        c1: p.containerPort,
        proto: p.protocol,
      });
    }
  }
  const range = (a: number, b: number) => (a === b ? `${a}` : `${a}-${b}`);
  const parts = groups.map((g) => `${g.ip}:${range(g.h0, g.h1)}->${range(g.c0, g.c1)}/${g.proto}`);
  for (const key of exposedOnly) {
    try {
      const k = parsePortKey(key);
      if (!ports.some((p) => p.containerPort === k.port && p.protocol === k.protocol))
        parts.push(`${k.port}/${k.protocol}`);
    } catch {
      // not a port we could show
    }
  }
  return parts.join(', ');
}

type DockerBinding = { HostIp: string; HostPort: string };

/** inspect's NetworkSettings.Ports: bound ports, plus exposed ones mapped to null. */
export function dockerPortMap(
  ports: ActivePort[],
  exposed: string[] = [],
): Record<string, DockerBinding[] | null> {
  const out: Record<string, DockerBinding[] | null> = {};
  for (const key of exposed) {
    try {
      const k = parsePortKey(key);
      out[`${k.port}/${k.protocol}`] = null;
    } catch {
      // skip
    }
  }
  for (const p of sortPorts(ports)) {
    const key = `${p.containerPort}/${p.protocol}`;
    const list = out[key] ?? [];
    list.push({ HostIp: bindAddr(p.hostIp), HostPort: String(p.hostPort) });
    out[key] = list;
  }
  return out;
}

/** inspect's HostConfig.PortBindings: what was asked for (empty strings where not given). */
export function dockerPortBindings(ports: PortMapping[]): Record<string, DockerBinding[]> {
  const out: Record<string, DockerBinding[]> = {};
  for (const p of ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    const host =
      p.hostPort === 0 ? '' : p.hostPortEnd ? `${p.hostPort}-${p.hostPortEnd}` : String(p.hostPort);
    (out[key] ??= []).push({ HostIp: p.hostIp, HostPort: host });
  }
  return out;
}
