import { describe, expect, it } from 'vitest';
import { parseRestartPolicy, shouldRestart } from '../../../src/engine/containers/config.js';
import { generateName } from '../../../src/engine/containers/names.js';
import { overlayOptions } from '../../../src/storage/mount.js';
import { parseProcLimits } from '../../../src/sys/rlimits.js';

describe('restart policies', () => {
  it('parses Docker forms and refuses others', () => {
    expect(parseRestartPolicy(undefined)).toEqual({ name: 'no', maximumRetryCount: 0 });
    expect(parseRestartPolicy('on-failure:3')).toEqual({ name: 'on-failure', maximumRetryCount: 3 });
    expect(parseRestartPolicy('unless-stopped').name).toBe('unless-stopped');
    expect(() => parseRestartPolicy('sometimes')).toThrow(/invalid restart policy/);
    expect(() => parseRestartPolicy('always:2')).toThrow(/only on-failure/);
    expect(() => parseRestartPolicy('on-failure:x')).toThrow(/whole number/);
  });

  it('decides like Docker', () => {
    const onFailure2 = parseRestartPolicy('on-failure:2');
    expect(shouldRestart(onFailure2, { exitCode: 1, restartCount: 0 })).toBe(true);
    expect(shouldRestart(onFailure2, { exitCode: 1, restartCount: 2 })).toBe(false);
    expect(shouldRestart(onFailure2, { exitCode: 0, restartCount: 0 })).toBe(false);
    expect(shouldRestart(parseRestartPolicy('always'), { exitCode: 0, restartCount: 9 })).toBe(true);
    expect(
      shouldRestart(parseRestartPolicy('always'), { exitCode: 0, restartCount: 0, stoppedByUser: true }),
    ).toBe(false);
    expect(shouldRestart(parseRestartPolicy('no'), { exitCode: 1, restartCount: 0 })).toBe(false);
  });
});

describe('container names', () => {
  it('look like adjective_surname and avoid taken ones', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const n = generateName((x) => taken.has(x));
      expect(n).toMatch(/^[a-z]+_[a-z]+\d*$/);
      expect(taken.has(n)).toBe(false);
      taken.add(n);
    }
  });
});

describe('overlay options', () => {
  it('uses store-relative lowerdirs, userxattr rootless, and an empty second lower for read-only single layers', () => {
    const base = { driver: 'overlay' as const, storeRoot: '/s', target: '/s/m', rootless: true };
    expect(
      overlayOptions({
        ...base,
        lowerDirs: ['/s/l/B', '/s/l/A'],
        upperDir: '/s/c/diff',
        workDir: '/s/c/work',
      }),
    ).toBe('lowerdir=l/B:l/A,upperdir=/s/c/diff,workdir=/s/c/work,userxattr');
    expect(overlayOptions({ ...base, rootless: false, lowerDirs: ['/s/l/A'] }, '/s/empty')).toBe(
      'lowerdir=l/A:empty',
    );
  });
});

describe('host limits', () => {
  it('parses /proc/self/limits', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max open files            1024                 524288               files     ',
      'Max processes             unlimited            unlimited            processes ',
    ].join('\n');
    const l = parseProcLimits(text);
    expect(l.RLIMIT_NOFILE).toEqual({ soft: 1024, hard: 524288 });
    expect(l.RLIMIT_NPROC.hard).toBe(0xffffffffffffffffn);
  });
});
