import { describe, expect, it } from 'vitest';
import {
  type NetworkConfig,
  networkFiles,
  networkModeName,
  parseNetworkMode,
} from '../../../src/engine/containers/network.js';

function config(over: Partial<NetworkConfig> = {}): NetworkConfig {
  return { mode: 'private', ports: [], dns: [], dnsSearch: [], dnsOption: [], addHost: [], ...over };
}

const slirp = config({
  stack: 'slirp4netns',
  address: { ip: '10.0.2.100', prefixLen: 24, gateway: '10.0.2.2' },
});

describe('parseNetworkMode', () => {
  it('knows the modes', () => {
    expect(parseNetworkMode(undefined)).toEqual({ kind: 'stack', options: [] });
    expect(parseNetworkMode('bridge')).toEqual({ kind: 'stack', options: [] });
    expect(parseNetworkMode('slirp4netns')).toEqual({ kind: 'stack', stack: 'slirp4netns', options: [] });
    expect(parseNetworkMode('slirp4netns:allow_host_loopback=true,mtu=1500')).toEqual({
      kind: 'stack',
      stack: 'slirp4netns',
      options: ['allow_host_loopback=true', 'mtu=1500'],
    });
    expect(parseNetworkMode('pasta')).toEqual({ kind: 'stack', stack: 'pasta', options: [] });
    expect(parseNetworkMode('none')).toEqual({ kind: 'none' });
    expect(parseNetworkMode('host')).toEqual({ kind: 'host' });
    expect(parseNetworkMode('container:web')).toEqual({ kind: 'container', name: 'web' });
    expect(parseNetworkMode('ns:/run/netns/x')).toEqual({ kind: 'ns', path: '/run/netns/x' });
  });

  it('refuses unknown networks and empty targets', () => {
    expect(() => parseNetworkMode('mynet')).toThrow(/network mynet not found/);
    expect(() => parseNetworkMode('container:')).toThrow(/container:NAME/);
    expect(() => parseNetworkMode('ns:relative')).toThrow(/absolute/);
  });

  it('names modes as inspect shows them', () => {
    expect(networkModeName(slirp)).toBe('slirp4netns');
    expect(networkModeName(config({ mode: 'none' }))).toBe('none');
    expect(networkModeName(config({ joinContainer: 'abc' }))).toBe('container:abc');
  });
});

describe('networkFiles', () => {
  const hostResolv = 'search corp.example\nnameserver 127.0.0.53\nnameserver 192.0.2.53\noptions edns0\n';

  it('maps the hostname to the slirp4netns address and uses its resolver', () => {
    const f = networkFiles(slirp, 'web1', hostResolv);
    expect(f.hosts).toMatch(/^127\.0\.0\.1\tlocalhost$/m);
    expect(f.hosts).toMatch(/^10\.0\.2\.100\tweb1$/m);
    expect(f.resolv).toBe('search corp.example\nnameserver 10.0.2.3\noptions edns0\n');
  });

  it('follows a custom cidr', () => {
    const f = networkFiles(
      config({ stack: 'slirp4netns', address: { ip: '10.5.0.100', prefixLen: 16, gateway: '10.5.0.2' } }),
      'h',
      '',
    );
    expect(f.hosts).toMatch(/^10\.5\.0\.100\th$/m);
    expect(f.resolv).toBe('nameserver 10.5.0.3\n');
  });

  it('puts --add-host, --dns, --dns-search and --dns-option in', () => {
    const f = networkFiles(
      {
        ...slirp,
        addHost: ['db.local:192.0.2.10', 'v6:[2001:db8::1]'],
        dns: ['192.0.2.1'],
        dnsSearch: ['a.example'],
        dnsOption: ['ndots:2'],
      },
      'web1',
      hostResolv,
    );
    expect(f.hosts).toMatch(/^192\.0\.2\.10\tdb\.local$/m);
    expect(f.hosts).toMatch(/^2001:db8::1\tv6$/m);
    expect(f.resolv).toBe('search a.example\nnameserver 192.0.2.1\noptions ndots:2\n');
  });

  it("keeps the host's non-loopback resolvers without a stack, all of them with host networking", () => {
    expect(networkFiles(config({ mode: 'none' }), 'h', hostResolv).resolv).toBe(
      'search corp.example\nnameserver 192.0.2.53\noptions edns0\n',
    );
    expect(networkFiles(config({ mode: 'none' }), 'h', '').hosts).toMatch(/^127\.0\.1\.1\th$/m);
    expect(networkFiles(config({ mode: 'host' }), 'h', hostResolv).resolv).toContain('nameserver 127.0.0.53');
  });

  it('refuses a malformed --add-host', () => {
    expect(() => networkFiles({ ...slirp, addHost: ['nohost'] }, 'h', '')).toThrow(/invalid --add-host/);
    expect(() => networkFiles({ ...slirp, addHost: ['x:notanip'] }, 'h', '')).toThrow(/invalid --add-host/);
  });
});
