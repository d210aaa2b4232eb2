import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { BerthError } from '../util/errors.js';
import type { ActivePort, PortMapping, PortProtocol } from './ports.js';

/**
 * Host ports for a container that is starting: each asked-for port is tried by binding it
 * (so a port in use fails before anything starts), and "any port" becomes a free one the
 * kernel picks. The binds are released at once: the network stack binds them for real next.
 */

/** Binds ip:port for a moment; resolves the bound port, or undefined when it is taken. */
function tryBind(ip: string, port: number, protocol: PortProtocol): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve(undefined);
      else if (err.code === 'EACCES') {
        reject(
          new BerthError(`cannot bind ${ip}:${port}/${protocol}: permission denied`, {
            hint: 'ports below net.ipv4.ip_unprivileged_port_start (1024) need root; publish a higher host port',
          }),
        );
      } else reject(new BerthError(`cannot bind ${ip}:${port}/${protocol}: ${err.message}`));
    };
    if (protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', (e) => {
        s.close();
        fail(e);
      });
      s.bind({ address: ip, port, exclusive: true }, () => {
        const got = s.address().port;
        s.close(() => resolve(got));
      });
      return;
    }
    const srv = createServer();
    srv.once('error', fail);
    srv.listen({ host: ip, port, exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : port;
      srv.close(() => resolve(got));
    });
  });
}

function allocated(ip: string, port: number, protocol: PortProtocol): BerthError {
  return new BerthError(`Bind for ${ip}:${port} failed: port is already allocated`, {
    hint: `another program or container uses ${port}/${protocol}; publish a different host port`,
    code: 'conflict',
  });
}

/** Turns the asked-for mappings into concrete free host ports. */
export async function allocateHostPorts(wanted: PortMapping[]): Promise<ActivePort[]> {
  const out: ActivePort[] = [];
  const taken = new Set<string>();
  const key = (p: PortProtocol, port: number) => `${p}/${port}`;
  for (const m of wanted) {
    const ip = m.hostIp || '0.0.0.0';
    const end = m.hostPortEnd ?? m.hostPort;
    let port: number | undefined;
    if (m.hostPort === 0) {
      for (let i = 0; i < 20 && port === undefined; i++) {
        const got = await tryBind(ip, 0, m.protocol);
        if (got && !taken.has(key(m.protocol, got))) port = got;
      }
      if (port === undefined) throw new BerthError(`no free host port for ${m.containerPort}/${m.protocol}`);
    } else {
      for (let p = m.hostPort; p <= end && port === undefined; p++) {
        if (taken.has(key(m.protocol, p))) continue;
        if ((await tryBind(ip, p, m.protocol)) !== undefined) port = p;
      }
      if (port === undefined) {
        if (end !== m.hostPort) {
          throw new BerthError(
            `Bind for ${ip}:${m.hostPort}-${end} failed: every port in the range is already allocated`,
            {
              code: 'conflict',
            },
          );
        }
        throw allocated(ip, m.hostPort, m.protocol);
      }
    }
    taken.add(key(m.protocol, port));
    out.push({ hostIp: ip, hostPort: port, containerPort: m.containerPort, protocol: m.protocol });
  }
  return out;
}
