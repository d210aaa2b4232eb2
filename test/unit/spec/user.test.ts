import { describe, expect, it } from 'vitest';
import { resolveUser } from '../../../src/spec/user.js';
import { BerthError } from '../../../src/util/errors.js';

const passwd = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
# a comment line
app:x:1000:1000:App User:/home/app:/bin/sh
broken:line
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
`;

const group = `root:x:0:
wheel:x:10:root,app
audio:x:29:app
staff:x:50:
app:x:1000:
www-data:x:33:
dup:x:29:app
`;

const files = { passwd, group };

describe('resolveUser', () => {
  it('defaults to root with its passwd home and groups', () => {
    expect(resolveUser(undefined, files)).toEqual({
      uid: 0,
      gid: 0,
      additionalGids: [10],
      home: '/root',
      name: 'root',
    });
    expect(resolveUser('', files)).toEqual(resolveUser(undefined, files));
  });

  it('is uid 0 with home / when the image has no passwd file', () => {
    expect(resolveUser(undefined, {})).toEqual({ uid: 0, gid: 0, additionalGids: [], home: '/' });
  });

  it('resolves a name to uid, gid, home and the groups listing it (deduplicated)', () => {
    expect(resolveUser('app', files)).toEqual({
      uid: 1000,
      gid: 1000,
      additionalGids: [10, 29],
      home: '/home/app',
      name: 'app',
    });
  });

  it('resolves a numeric uid through passwd when an entry exists', () => {
    expect(resolveUser('33', files)).toEqual({
      uid: 33,
      gid: 33,
      additionalGids: [],
      home: '/var/www',
      name: 'www-data',
    });
  });

  it('accepts a numeric uid without a passwd entry: gid 0, home /', () => {
    expect(resolveUser('4242', files)).toEqual({ uid: 4242, gid: 0, additionalGids: [], home: '/' });
    expect(resolveUser('4242:4343', {})).toEqual({ uid: 4242, gid: 4343, additionalGids: [], home: '/' });
  });

  it('an explicit group replaces the primary group and drops supplementary groups', () => {
    expect(resolveUser('app:staff', files)).toEqual({
      uid: 1000,
      gid: 50,
      additionalGids: [],
      home: '/home/app',
      name: 'app',
    });
    expect(resolveUser('app:77', files)).toMatchObject({ uid: 1000, gid: 77, additionalGids: [] });
    expect(resolveUser(':staff', files)).toMatchObject({ uid: 0, gid: 50, home: '/root' });
  });

  it("fails for an unknown name with Docker's message and exit code 125", () => {
    let err: unknown;
    try {
      resolveUser('nobody', files);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).message).toBe(
      'unable to find user nobody: no matching entries in passwd file',
    );
    expect((err as BerthError).exitCode).toBe(125);
    expect(() => resolveUser('nobody', {})).toThrow(
      'unable to find user nobody: no matching entries in passwd file',
    );
  });

  it('fails for an unknown group name', () => {
    expect(() => resolveUser('app:nogroup', files)).toThrow(
      'unable to find group nogroup: no matching entries in group file',
    );
  });

  it('rejects ids out of range', () => {
    expect(() => resolveUser('4294967296', files)).toThrow('uids and gids must be in range 0-2147483647');
    expect(() => resolveUser('app:-1', files)).toThrow('uids and gids must be in range');
  });
});
