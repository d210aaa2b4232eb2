import { describe, expect, it } from 'vitest';
import {
  dockerPortBindings,
  dockerPortMap,
  formatPortLines,
  formatPortsColumn,
  parsePortKey,
  parsePublish,
  planPorts,
} from '../../../src/network/ports.js';

const tcp = (hostPort: number, containerPort: number, hostIp = '') => ({
  hostIp,
  hostPort,
  containerPort,
  protocol: 'tcp' as const,
});

describe('parsePublish', () => {
  it('reads the forms Docker takes', () => {
    expect(parsePublish('8080:80')).toEqual([tcp(8080, 80)]);
    expect(parsePublish('80')).toEqual([tcp(0, 80)]);
    expect(parsePublish('127.0.0.1:8080:80')).toEqual([tcp(8080, 80, '127.0.0.1')]);
    expect(parsePublish('127.0.0.1::80')).toEqual([tcp(0, 80, '127.0.0.1')]);
    expect(parsePublish('5353:53/udp')).toEqual([
      { hostIp: '', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ]);
    expect(parsePublish('8080:80/TCP')).toEqual([tcp(8080, 80)]);
  });

  it('expands ranges pairwise, and a host range for one port means any port in it', () => {
    expect(parsePublish('8000-8002:80-82')).toEqual([tcp(8000, 80), tcp(8001, 81), tcp(8002, 82)]);
    expect(parsePublish('80-81')).toEqual([tcp(0, 80), tcp(0, 81)]);
    expect(parsePublish('9000-9010:80')).toEqual([{ ...tcp(9000, 80), hostPortEnd: 9010 }]);
  });

  it('refuses what it cannot do, naming the problem', () => {
    expect(() => parsePublish('8000-8002:80-81')).toThrow(/not the same number/);
    expect(() => parsePublish('70000:80')).toThrow(/out of range/);
    expect(() => parsePublish('0:80')).toThrow(/out of range/);
    expect(() => parsePublish('abc:80')).toThrow(/not a number/);
    expect(() => parsePublish('8080:80/sctp')).toThrow(/sctp/);
    expect(() => parsePublish('8080:80/icmp')).toThrow(/unknown protocol/);
    expect(() => parsePublish('[::1]:8080:80')).toThrow(/IPv6/);
    expect(() => parsePublish('300.1.1.1:8080:80')).toThrow(/not an IPv4/);
    expect(() => parsePublish('1:2:3:4')).toThrow(/too many colons/);
    expect(() => parsePublish('8081-8080:80')).toThrow(/ends before/);
    expect(() => parsePublish('')).toThrow(/empty/);
  });
});

describe('planPorts', () => {
  it('adds random ports for exposed ports with -P, except ones already published', () => {
    const ports = planPorts(['8080:80'], true, ['80/tcp', '443/tcp', '53/udp', '9/sctp']);
    expect(ports).toEqual([
      tcp(8080, 80),
      tcp(0, 443),
      { hostIp: '', hostPort: 0, containerPort: 53, protocol: 'udp' },
    ]);
    expect(planPorts([], false, ['80/tcp'])).toEqual([]);
  });

  it('refuses one host port published twice', () => {
    expect(() => planPorts(['8080:80', '8080:81'], false, [])).toThrow(/published twice/);
    expect(() => planPorts(['127.0.0.1:8080:80', '8080:81'], false, [])).toThrow(/published twice/);
    // different addresses or protocols are different ports
    expect(planPorts(['127.0.0.1:8080:80', '127.0.0.2:8080:81', '8080:80/udp'], false, [])).toHaveLength(3);
  });
});

describe('parsePortKey', () => {
  it('reads PORT[/PROTO]', () => {
    expect(parsePortKey('80')).toEqual({ port: 80, protocol: 'tcp' });
    expect(parsePortKey('53/udp')).toEqual({ port: 53, protocol: 'udp' });
    expect(() => parsePortKey('x')).toThrow(/invalid port/);
    expect(() => parsePortKey('0')).toThrow(/out of range/);
  });
});

describe('showing ports', () => {
  const active = [
    tcp(8080, 80, '0.0.0.0'),
    { ...tcp(5353, 53, '127.0.0.1'), protocol: 'udp' as const },
    tcp(8443, 443, '0.0.0.0'),
  ];

  it('prints docker port lines, all or for one port', () => {
    expect(formatPortLines(active)).toEqual([
      '80/tcp -> 0.0.0.0:8080',
      '443/tcp -> 0.0.0.0:8443',
      '53/udp -> 127.0.0.1:5353',
    ]);
    expect(formatPortLines(active, { port: 53, protocol: 'udp' })).toEqual(['127.0.0.1:5353']);
    expect(formatPortLines(active, { port: 53, protocol: 'tcp' })).toEqual([]);
  });

  it('folds consecutive ports into ranges in the PORTS column and lists unpublished exposed ports', () => {
    const ranged = [
      tcp(8000, 80, '0.0.0.0'),
      tcp(8001, 81, '0.0.0.0'),
      tcp(8002, 82, '0.0.0.0'),
      tcp(9000, 90, '0.0.0.0'),
    ];
    expect(formatPortsColumn(ranged)).toBe('0.0.0.0:8000-8002->80-82/tcp, 0.0.0.0:9000->90/tcp');
    expect(formatPortsColumn([tcp(8080, 80, '')], ['80/tcp', '443/tcp'])).toBe(
      '0.0.0.0:8080->80/tcp, 443/tcp',
    );
    expect(formatPortsColumn([])).toBe('');
  });

  it('builds inspect maps', () => {
    expect(dockerPortMap([tcp(8080, 80, '0.0.0.0')], ['80/tcp', '443/tcp'])).toEqual({
      '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }],
      '443/tcp': null,
    });
    expect(
      dockerPortBindings([tcp(8080, 80), tcp(0, 81, '127.0.0.1'), { ...tcp(9000, 82), hostPortEnd: 9005 }]),
    ).toEqual({
      '80/tcp': [{ HostIp: '', HostPort: '8080' }],
      '81/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '82/tcp': [{ HostIp: '', HostPort: '9000-9005' }],
    });
  });
});
