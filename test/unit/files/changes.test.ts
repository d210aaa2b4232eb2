import { describe, expect, it } from 'vitest';
import { committedRunConfig } from '../../../src/engine/containers/commit.js';
import type { Container } from '../../../src/engine/containers/common.js';
import { applyChanges, imageNameFor, parseChange, splitWords } from '../../../src/engine/import.js';

describe('splitWords', () => {
  it('handles quotes and backslashes as Dockerfile ENV does', () => {
    expect(splitWords(`A=1 B="two words" C='x y' D=a\\ b`)).toEqual(['A=1', 'B=two words', 'C=x y', 'D=a b']);
    expect(splitWords('  ')).toEqual([]);
    expect(() => splitWords('A="open')).toThrow(/unterminated/);
  });
});

describe('parseChange', () => {
  it('takes INSTRUCTION args and INSTRUCTION=args, case-insensitively', () => {
    expect(parseChange('CMD ["a"]')).toEqual({ instruction: 'CMD', args: '["a"]' });
    expect(parseChange('env=K=V')).toEqual({ instruction: 'ENV', args: 'K=V' });
    expect(() => parseChange('RUN rm -rf /')).toThrow(/want one of/);
    expect(() => parseChange('')).toThrow(/want one of/);
  });
});

describe('applyChanges', () => {
  it('applies each instruction', () => {
    const base = { Env: ['PATH=/bin', 'A=old'], WorkingDir: '/srv', Labels: { keep: '1' } };
    const c = applyChanges(base, [
      'CMD ["echo","hi"]',
      'ENTRYPOINT /bin/run --fast',
      'ENV A=new B="b b"',
      'ENV LEGACY some value',
      'LABEL x=1 "y"=2',
      'EXPOSE 80 53/udp',
      'VOLUME ["/data"]',
      'VOLUME /cache /logs',
      'WORKDIR sub',
      'USER 1000:1000',
      'STOPSIGNAL SIGINT',
      'ONBUILD RUN true',
    ]);
    expect(c.Cmd).toEqual(['echo', 'hi']);
    expect(c.Entrypoint).toEqual(['/bin/sh', '-c', '/bin/run --fast']);
    expect(c.Env).toEqual(['PATH=/bin', 'A=new', 'B=b b', 'LEGACY=some value']);
    expect(c.Labels).toEqual({ keep: '1', x: '1', y: '2' });
    expect(c.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(Object.keys(c.Volumes ?? {})).toEqual(['/data', '/cache', '/logs']);
    expect(c.WorkingDir).toBe('/srv/sub');
    expect(c.User).toBe('1000:1000');
    expect(c.StopSignal).toBe('SIGINT');
    expect(c.OnBuild).toEqual(['RUN true']);
    // The input is not changed.
    expect(base.Env).toEqual(['PATH=/bin', 'A=old']);
  });

  it('refuses bad values', () => {
    expect(() => applyChanges({}, ['EXPOSE http'])).toThrow(/not a port/);
    expect(() => applyChanges({}, ['USER'])).toThrow(/needs an argument/);
    expect(() => applyChanges({}, ['LABEL =x'])).toThrow(/KEY=VALUE/);
  });
});

describe('imageNameFor', () => {
  it('normalises REPO[:TAG] and refuses digests', () => {
    expect(imageNameFor('myimg')).toBe('docker.io/library/myimg:latest');
    expect(imageNameFor('localhost:5000/a/b:v1')).toBe('localhost:5000/a/b:v1');
    expect(() => imageNameFor(`x@sha256:${'a'.repeat(64)}`)).toThrow(/digest/);
  });
});

describe('committedRunConfig', () => {
  const rec = {
    config: {
      options: { env: ['USERVAR=1'], envFile: [], workdir: '/w' },
      env: ['PATH=/bin', 'HOSTNAME=abc', 'HOME=/root', 'USERVAR=1', 'TERM=xterm'],
      cmd: ['sh'],
      entrypoint: [],
      user: 'nobody',
      labels: { l: 'v' },
      stopSignal: 'SIGTERM',
    },
  } as unknown as Container;

  it("takes the container's settings and drops what every run sets", () => {
    const c = committedRunConfig({ Env: ['PATH=/bin'], Cmd: ['old'], ExposedPorts: { '80/tcp': {} } }, rec);
    expect(c.Env).toEqual(['PATH=/bin', 'USERVAR=1']);
    expect(c.Cmd).toEqual(['sh']);
    expect(c.Entrypoint).toBeNull();
    expect(c.WorkingDir).toBe('/w');
    expect(c.User).toBe('nobody');
    expect(c.Labels).toEqual({ l: 'v' });
    expect(c.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(c.StopSignal).toBeUndefined();
  });

  it('keeps HOME when the image set it', () => {
    expect(committedRunConfig({ Env: ['HOME=/root'] }, rec).Env).toContain('HOME=/root');
  });
});
