import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { allocateHostPorts } from '../../../src/network/host-ports.js';

/** Holds a loopback port for the test, as another program would. */
function hold(port = 0): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

describe('allocateHostPorts', () => {
  const held: Server[] = [];
  afterEach(() => {
    for (const s of held.splice(0)) s.close();
  });

  it('picks free ports for "any port" and keeps asked-for ones', async () => {
    const free = await hold();
    free.server.close();
    const got = await allocateHostPorts([
      { hostIp: '127.0.0.1', hostPort: 0, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: free.port, containerPort: 81, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 0, containerPort: 53, protocol: 'udp' },
    ]);
    expect(got[0].hostPort).toBeGreaterThan(0);
    expect(got[0].hostPort).not.toBe(free.port);
    expect(got[1]).toEqual({ hostIp: '127.0.0.1', hostPort: free.port, containerPort: 81, protocol: 'tcp' });
    expect(got[2].protocol).toBe('udp');
    expect(got[2].hostPort).toBeGreaterThan(0);
  });

  it('says a port in use is already allocated', async () => {
    const busy = await hold();
    held.push(busy.server);
    await expect(
      allocateHostPorts([{ hostIp: '127.0.0.1', hostPort: busy.port, containerPort: 80, protocol: 'tcp' }]),
    ).rejects.toThrow(`Bind for 127.0.0.1:${busy.port} failed: port is already allocated`);
    // the same number over udp is a different port
    const udp = await allocateHostPorts([
      { hostIp: '127.0.0.1', hostPort: busy.port, containerPort: 80, protocol: 'udp' },
    ]);
    expect(udp[0].hostPort).toBe(busy.port);
  });

  it('takes the first free port of a host range', async () => {
    const busy = await hold();
    held.push(busy.server);
    const got = await allocateHostPorts([
      {
        hostIp: '127.0.0.1',
        hostPort: busy.port,
        hostPortEnd: busy.port + 1,
        containerPort: 80,
        protocol: 'tcp',
      },
    ]);
    expect(got[0].hostPort).toBe(busy.port + 1);
    await expect(
      allocateHostPorts([
        {
          hostIp: '127.0.0.1',
          hostPort: busy.port,
          hostPortEnd: busy.port,
          containerPort: 80,
          protocol: 'tcp',
        },
      ]),
    ).rejects.toThrow(/already allocated/);
  });

  it('refuses an address the host does not have', async () => {
    await expect(
      allocateHostPorts([{ hostIp: '192.0.2.1', hostPort: 0, containerPort: 80, protocol: 'tcp' }]),
    ).rejects.toThrow(/cannot bind 192\.0\.2\.1/);
  });
});
