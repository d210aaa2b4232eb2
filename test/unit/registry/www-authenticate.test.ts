import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/image/registry/www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('parses a Docker Hub bearer challenge', () => {
    const h =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"';
    expect(parseWwwAuthenticate(h)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/ubuntu:pull',
        },
      },
    ]);
  });

  it('parses basic, unquoted values, escapes and spaces around =', () => {
    expect(parseWwwAuthenticate('Basic realm = "my \\"realm\\""')).toEqual([
      { scheme: 'basic', params: { realm: 'my "realm"' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm=http://h/t, service=svc')).toEqual([
      { scheme: 'bearer', params: { realm: 'http://h/t', service: 'svc' } },
    ]);
  });

  it('splits several challenges in one header and across headers', () => {
    const got = parseWwwAuthenticate(['Negotiate abc==, Basic realm="r"', 'Bearer realm="x",scope="a b"']);
    expect(got.map((c) => c.scheme)).toEqual(['negotiate', 'basic', 'bearer']);
    expect(got[1].params).toEqual({ realm: 'r' });
    expect(got[2].params.scope).toBe('a b');
  });

  it('keeps commas inside quoted values (multiple scopes)', () => {
    const got = parseWwwAuthenticate('Bearer realm="r",scope="repository:a:pull,push"');
    expect(got[0].params.scope).toBe('repository:a:pull,push');
  });

  it('returns nothing for a missing header', () => {
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});
