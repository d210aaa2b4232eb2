import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatReference, parseNormalized, parseReference } from '../../../src/image/reference.js';
import {
  findRegistry,
  isInsecure,
  loadRegistriesConf,
  mergeConfigs,
  parseRegistriesConf,
  pullSources,
  type RegistriesConfig,
  refMatchingPrefix,
  registriesConfFiles,
  resolveShortName,
} from '../../../src/image/registries-conf.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;

function conf(...texts: string[]): RegistriesConfig {
  return mergeConfigs(texts.map((t, i) => parseRegistriesConf(t, `/f${i}.conf`)));
}

function sources(c: RegistriesConfig, name: string, opts?: { tlsVerify?: boolean }) {
  return pullSources(c, parseNormalized(name), opts).map((s) => ({
    ref: formatReference(s),
    insecure: s.insecure,
    mirror: s.mirror,
  }));
}

describe('refMatchingPrefix', () => {
  it('matches whole components only', () => {
    expect(refMatchingPrefix('example.com/foo/bar:1', 'example.com/foo')).toBe(15);
    expect(refMatchingPrefix('example.com/foobar:1', 'example.com/foo')).toBe(-1);
    expect(refMatchingPrefix('example.com/foo', 'example.com/foo')).toBe(15);
    expect(refMatchingPrefix('example.com/foo@sha256:x', 'example.com/foo')).toBe(15);
    expect(refMatchingPrefix('example.co', 'example.com')).toBe(-1);
  });
  it('matches wildcard subdomains in the host only', () => {
    expect(refMatchingPrefix('a.example.com/x:1', '*.example.com')).toBe(13);
    expect(refMatchingPrefix('a.b.example.com/x', '*.example.com')).toBe(15);
    expect(refMatchingPrefix('example.com/x', '*.example.com')).toBe(-1);
    expect(refMatchingPrefix('other.io/a.example.com/x', '*.example.com')).toBe(-1);
    expect(refMatchingPrefix('a.example.community/x', '*.example.com')).toBe(-1);
  });
});

describe('the man page example', () => {
  const c = conf(`
unqualified-search-registries = ["example.com"]

[[registry]]
prefix = "example.com/foo"
insecure = false
blocked = false
location = "internal-registry-for-example.com/bar"

[[registry.mirror]]
location = "example-mirror-0.local/mirror-for-foo"

[[registry.mirror]]
location = "example-mirror-1.local/mirrors/foo"
insecure = true
`);
  it('tries the mirrors in order, then the rewritten location', () => {
    expect(sources(c, 'example.com/foo/image:latest')).toEqual([
      { ref: 'example-mirror-0.local/mirror-for-foo/image:latest', insecure: false, mirror: true },
      { ref: 'example-mirror-1.local/mirrors/foo/image:latest', insecure: true, mirror: true },
      { ref: 'internal-registry-for-example.com/bar/image:latest', insecure: false, mirror: false },
    ]);
  });
  it('leaves names outside the prefix alone', () => {
    expect(sources(c, 'example.com/foobar/x:1')).toEqual([
      { ref: 'example.com/foobar/x:1', insecure: false, mirror: false },
    ]);
  });
  it('lets --tls-verify override every endpoint', () => {
    expect(sources(c, 'example.com/foo/image:1', { tlsVerify: false }).every((s) => s.insecure)).toBe(true);
    expect(sources(c, 'example.com/foo/image:1', { tlsVerify: true }).some((s) => s.insecure)).toBe(false);
  });
  it('resolves short names through the search list', () => {
    expect(resolveShortName(c, 'image:2').map(formatReference)).toEqual(['example.com/image:2']);
  });
});

describe('prefix matching', () => {
  const c = conf(`
[[registry]]
location = "quay.io"
insecure = true

[[registry]]
prefix = "quay.io/private"
location = "mirror.internal:5000/quay-private"

[[registry]]
prefix = "*.corp.example"
blocked = true

[[registry]]
prefix = "docker.io/library/alpine"
location = "hub-cache.local/alpine"
`);
  it('picks the longest prefix', () => {
    expect(findRegistry(c, 'quay.io/private/app:1')?.location).toBe('mirror.internal:5000/quay-private');
    expect(findRegistry(c, 'quay.io/other/app')?.location).toBe('quay.io');
    expect(findRegistry(c, 'docker.io/busybox')).toBeUndefined();
  });
  it('uses the location as prefix when prefix is unset', () => {
    expect(sources(c, 'quay.io/x/y:1')).toEqual([{ ref: 'quay.io/x/y:1', insecure: true, mirror: false }]);
  });
  it('rewrites the repository under the location', () => {
    expect(sources(c, `quay.io/private/a/b@${DIGEST}`)).toEqual([
      { ref: `mirror.internal:5000/quay-private/a/b@${DIGEST}`, insecure: false, mirror: false },
    ]);
  });
  it('matches docker.io names after library/ normalisation', () => {
    expect(sources(c, 'alpine:3')).toEqual([
      { ref: 'hub-cache.local/alpine:3', insecure: false, mirror: false },
    ]);
    expect(sources(c, 'alpine/git')).toEqual([
      { ref: 'docker.io/alpine/git:latest', insecure: false, mirror: false },
    ]);
  });
  it('refuses blocked registries, wildcards included', () => {
    expect(() => pullSources(c, parseNormalized('reg.corp.example/app'))).toThrow(
      'registry *.corp.example is blocked in registries.conf',
    );
    expect(() => pullSources(c, parseNormalized('corp.example/app'))).not.toThrow();
  });
});

describe('mirror selection rules', () => {
  const c = conf(`
[[registry]]
prefix = "docker.io"
location = "docker.io"

[[registry.mirror]]
location = "by-digest.local"
pull-from-mirror = "digest-only"

[[registry.mirror]]
location = "by-tag.local"
pull-from-mirror = "tag-only"

[[registry.mirror]]
location = "any.local"

[[registry]]
prefix = "ghcr.io"
location = "ghcr.io"
mirror-by-digest-only = true

[[registry.mirror]]
location = "ghcr-mirror.local"
`);
  it('honours pull-from-mirror', () => {
    expect(sources(c, 'busybox:1').map((s) => s.ref)).toEqual([
      'by-tag.local/library/busybox:1',
      'any.local/library/busybox:1',
      'docker.io/library/busybox:1',
    ]);
    expect(sources(c, `busybox@${DIGEST}`).map((s) => s.ref)).toEqual([
      `by-digest.local/library/busybox@${DIGEST}`,
      `any.local/library/busybox@${DIGEST}`,
      `docker.io/library/busybox@${DIGEST}`,
    ]);
  });
  it('honours mirror-by-digest-only', () => {
    expect(sources(c, 'ghcr.io/a/b:1').map((s) => s.ref)).toEqual(['ghcr.io/a/b:1']);
    expect(sources(c, `ghcr.io/a/b@${DIGEST}`).map((s) => s.ref)).toEqual([
      `ghcr-mirror.local/a/b@${DIGEST}`,
      `ghcr.io/a/b@${DIGEST}`,
    ]);
  });
});

describe('insecure registries', () => {
  const c = conf(`
[[registry]]
location = "insecure.example:5000"
insecure = true

[[registry]]
location = "secure.example"

[[registry.mirror]]
location = "plain-mirror.example/ns"
insecure = true
`);
  it('follows the configuration and treats loopback as insecure', () => {
    expect(isInsecure(c, 'insecure.example:5000')).toBe(true);
    expect(isInsecure(c, 'secure.example')).toBe(false);
    expect(isInsecure(c, 'plain-mirror.example')).toBe(true);
    expect(isInsecure(c, 'quay.io')).toBe(false);
    for (const h of ['localhost', 'localhost:5000', '127.0.0.1', '127.1.2.3:443', '::1', '[::1]:5000']) {
      expect(isInsecure(c, h), h).toBe(true);
    }
    expect(isInsecure(c, '128.0.0.1:5000')).toBe(false);
    expect(isInsecure(c, 'localhost.example.com')).toBe(false);
  });
  it('marks loopback pull sources insecure unless --tls-verify says otherwise', () => {
    expect(sources(c, 'localhost:5000/x')).toEqual([
      { ref: 'localhost:5000/x:latest', insecure: true, mirror: false },
    ]);
    expect(sources(c, 'localhost:5000/x', { tlsVerify: true })[0].insecure).toBe(false);
  });
});

describe('short names', () => {
  it('defaults to docker.io when no search registries are configured', () => {
    expect(resolveShortName(conf(''), 'busybox').map(formatReference)).toEqual([
      'docker.io/library/busybox:latest',
    ]);
  });
  it('keeps qualified names as they are', () => {
    const c = conf('unqualified-search-registries = ["quay.io", "docker.io"]\nshort-name-mode = "enforcing"');
    expect(resolveShortName(c, 'localhost/x:1').map(formatReference)).toEqual(['localhost/x:1']);
  });
  it('tries every search registry in permissive and disabled mode', () => {
    for (const mode of ['', 'short-name-mode = "permissive"', 'short-name-mode = "disabled"']) {
      const c = conf(`unqualified-search-registries = ["quay.io", "docker.io"]\n${mode}`);
      expect(resolveShortName(c, `x/y@${DIGEST}`).map(formatReference)).toEqual([
        `quay.io/x/y@${DIGEST}`,
        `docker.io/x/y@${DIGEST}`,
      ]);
      expect(resolveShortName(c, 'busybox').map(formatReference)).toEqual([
        'quay.io/busybox:latest',
        'docker.io/library/busybox:latest',
      ]);
    }
  });
  it('refuses an ambiguous short name in enforcing mode, but not an unambiguous one', () => {
    const c = conf('unqualified-search-registries = ["quay.io", "docker.io"]\nshort-name-mode = "enforcing"');
    expect(() => resolveShortName(c, 'busybox')).toThrow(
      /short-name resolution enforced.*quay.io, docker.io/,
    );
    const one = conf('unqualified-search-registries = ["quay.io"]\nshort-name-mode = "enforcing"');
    expect(resolveShortName(one, 'busybox').map(formatReference)).toEqual(['quay.io/busybox:latest']);
  });
  it('uses an alias alone, carrying the tag or digest over', () => {
    const c = conf(`
unqualified-search-registries = ["quay.io", "docker.io"]
short-name-mode = "enforcing"
[aliases]
"fedora" = "registry.fedoraproject.org/fedora"
"centos/centos" = "quay.io/centos/centos"
"ubuntu" = "docker.io/library/ubuntu"
`);
    expect(resolveShortName(c, 'fedora:39').map(formatReference)).toEqual([
      'registry.fedoraproject.org/fedora:39',
    ]);
    expect(resolveShortName(c, 'centos/centos').map(formatReference)).toEqual([
      'quay.io/centos/centos:latest',
    ]);
    expect(resolveShortName(c, `ubuntu@${DIGEST}`).map(formatReference)).toEqual([
      `docker.io/library/ubuntu@${DIGEST}`,
    ]);
  });
});

describe('merging drop-ins', () => {
  it('replaces registries by prefix, search lists and modes, and merges aliases', () => {
    const c = conf(
      `
unqualified-search-registries = ["a.io", "b.io"]
short-name-mode = "enforcing"
[aliases]
"one" = "a.io/one"
"two" = "a.io/two"
[[registry]]
location = "a.io"
insecure = true
[[registry]]
location = "keep.io"
blocked = true
`,
      `
unqualified-search-registries = ["c.io"]
[aliases]
"one" = ""
"three" = "c.io/three"
[[registry]]
location = "a.io"
`,
      'short-name-mode = "disabled"',
    );
    expect(c.unqualifiedSearchRegistries).toEqual(['c.io']);
    expect(c.shortNameMode).toBe('disabled');
    expect(c.aliases).toEqual({ two: 'a.io/two', three: 'c.io/three' });
    expect(c.aliasSources.three).toBe('/f1.conf');
    expect(c.registries.map((r) => [r.prefix, r.insecure, r.blocked])).toEqual([
      ['a.io', false, false],
      ['keep.io', false, true],
    ]);
  });
  it('reads version 1 files', () => {
    const c = conf(`
[registries.search]
registries = ['registry1.com', 'registry2.com']
[registries.insecure]
registries = ['registry3.com']
[registries.block]
registries = ['registry.untrusted.com']
`);
    expect(c.unqualifiedSearchRegistries).toEqual(['registry1.com', 'registry2.com']);
    expect(isInsecure(c, 'registry3.com')).toBe(true);
    expect(() => pullSources(c, parseReference('registry.untrusted.com/x:1'))).toThrow(/blocked/);
  });
});

describe('invalid files', () => {
  const bad: [string, RegExp][] = [
    ['a = [', /\/f0.conf, line 1: /],
    ['x = 1\n\n[[registry]]\nprefix = ', /\/f0.conf, line 4: /],
    ['short-name-mode = "sometimes"', /short-name-mode/],
    ['unqualified-search-registries = "docker.io"', /array of strings/],
    ['unqualified-search-registries = ["https://docker.io"]', /not a registry host/],
    ['[[registry]]\ninsecure = true', /both location and prefix are unset/],
    ['[[registry]]\nprefix = "a.io"', /location is unset/],
    ['[[registry]]\nlocation = "https://a.io"', /URI schemes/],
    ['[[registry]]\nprefix = "a.*.io"', /wildcards/],
    ['[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\ninsecure = true', /mirror #1: location is unset/],
    [
      '[[registry]]\nlocation = "a.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "x"',
      /pull-from/,
    ],
    ['[[registry]]\nlocation = "a.io"\n[[registry]]\nlocation = "a.io"', /defined twice/],
    ['[aliases]\n"docker.io/x" = "quay.io/x"', /must be a short name/],
    ['[aliases]\n"x:1" = "quay.io/x"', /tag or digest/],
    ['[aliases]\n"x" = "x"', /fully qualified/],
    ['[aliases]\n"x" = "quay.io/x:1"', /tag or digest/],
    ['unqualified-search-registries = []\n[registries.search]\nregistries = []', /mixing/],
  ];
  it.each(bad)('%j', (text, want) => {
    expect(() => parseRegistriesConf(text, '/f0.conf')).toThrow(want);
  });
});

describe('loading from disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-regconf-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (rel: string, text: string): string => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const opts = (env: NodeJS.ProcessEnv = {}) => ({
    env,
    systemDir: join(dir, 'etc'),
    userDir: join(dir, 'user'),
    berthConfigDir: join(dir, 'berth'),
  });

  it('orders system file, sorted drop-ins, user drop-ins, then berth', () => {
    write('etc/registries.conf', 'unqualified-search-registries = ["sys.io"]');
    write('etc/registries.conf.d/20-b.conf', 'unqualified-search-registries = ["b.io"]');
    write('etc/registries.conf.d/10-a.conf', 'unqualified-search-registries = ["a.io"]');
    write('etc/registries.conf.d/ignored.txt', 'not toml [');
    write('user/registries.conf.d/00.conf', 'short-name-mode = "disabled"');
    write('berth/registries.conf', '[aliases]\n"x" = "berth.io/x"');
    const files = registriesConfFiles(opts());
    expect(files).toEqual([
      join(dir, 'etc/registries.conf'),
      join(dir, 'etc/registries.conf.d/10-a.conf'),
      join(dir, 'etc/registries.conf.d/20-b.conf'),
      join(dir, 'user/registries.conf.d/00.conf'),
      join(dir, 'berth/registries.conf'),
    ]);
    const c = loadRegistriesConf(files);
    expect(c.unqualifiedSearchRegistries).toEqual(['b.io']);
    expect(c.shortNameMode).toBe('disabled');
    expect(c.aliases).toEqual({ x: 'berth.io/x' });
  });

  it("lets the user's registries.conf replace the system file and its drop-ins", () => {
    write('etc/registries.conf', 'unqualified-search-registries = ["sys.io"]');
    write('etc/registries.conf.d/10.conf', 'short-name-mode = "enforcing"');
    write('user/registries.conf', 'unqualified-search-registries = ["user.io"]');
    const files = registriesConfFiles(opts());
    expect(files[0]).toBe(join(dir, 'user/registries.conf'));
    const c = loadRegistriesConf(files);
    expect(c.unqualifiedSearchRegistries).toEqual(['user.io']);
    expect(c.shortNameMode).toBeUndefined();
  });

  it('honours CONTAINERS_REGISTRIES_CONF for the main file', () => {
    const main = write('custom.conf', 'unqualified-search-registries = ["env.io"]');
    write('user/registries.conf', 'unqualified-search-registries = ["user.io"]');
    const files = registriesConfFiles(opts({ CONTAINERS_REGISTRIES_CONF: main }));
    expect(files[0]).toBe(main);
    expect(loadRegistriesConf(files).unqualifiedSearchRegistries).toEqual(['env.io']);
  });

  it('skips missing files and names the broken one', () => {
    expect(loadRegistriesConf([join(dir, 'nope.conf')]).files).toEqual([]);
    const broken = write('broken.conf', 'a = 1\nb = = 2\n');
    expect(() => loadRegistriesConf([broken])).toThrow(`${broken}, line 2`);
  });
});
