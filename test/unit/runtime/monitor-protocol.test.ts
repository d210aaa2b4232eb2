import { describe, expect, it } from 'vitest';
import {
  ctlResizeMessage,
  decodeAttachFrame,
  exitSignal,
  joinLogRecords,
  monitorArgv,
  parseExitFile,
  parseLogFile,
  parseLogLine,
  parseRfc3339Nano,
  parseSyncMessage,
  runtimeErrorText,
} from '../../../src/runtime/monitor-protocol.js';
import { BerthError } from '../../../src/util/errors.js';

describe('monitorArgv', () => {
  it('builds the full argv in the documented order', () => {
    expect(
      monitorArgv({
        cid: 'abc',
        bundle: '/b',
        runtime: '/usr/sbin/runc',
        runtimeArgs: ['--systemd-cgroup', '--debug'],
        runtimeRoot: '/run/r',
        logPath: '/l/ctr.log',
        logSizeMax: 1024,
        exitDir: '/e',
        persistDir: '/p',
        terminal: true,
        stdin: true,
        leaveStdinOpen: true,
        start: true,
        exitCommand: '/bin/berth',
        exitCommandArgs: ['container', 'cleanup', 'abc'],
        exitDelay: 2,
        debug: true,
      }),
    ).toEqual([
      '--cid',
      'abc',
      '--bundle',
      '/b',
      '--runtime',
      '/usr/sbin/runc',
      '--runtime-arg',
      '--systemd-cgroup',
      '--runtime-arg',
      '--debug',
      '--runtime-root',
      '/run/r',
      '--log-path',
      '/l/ctr.log',
      '--log-size-max',
      '1024',
      '--exit-dir',
      '/e',
      '--persist-dir',
      '/p',
      '--terminal',
      '--stdin',
      '--leave-stdin-open',
      '--start',
      '--sync-fd',
      '3',
      '--exit-command',
      '/bin/berth',
      '--exit-command-arg',
      'container',
      '--exit-command-arg',
      'cleanup',
      '--exit-command-arg',
      'abc',
      '--exit-delay',
      '2',
      '--log-level',
      'debug',
    ]);
  });

  it('leaves out optional flags', () => {
    const argv = monitorArgv({
      cid: 'x',
      bundle: '/b',
      runtime: 'runc',
      runtimeRoot: '/r',
      logPath: '/l',
      exitDir: '/e',
      persistDir: '/p',
      syncFd: 5,
    });
    expect(argv).toEqual([
      '--cid',
      'x',
      '--bundle',
      '/b',
      '--runtime',
      'runc',
      '--runtime-root',
      '/r',
      '--log-path',
      '/l',
      '--exit-dir',
      '/e',
      '--persist-dir',
      '/p',
      '--sync-fd',
      '5',
    ]);
  });

  it('refuses exit command arguments without a command', () => {
    expect(() =>
      monitorArgv({
        cid: 'x',
        bundle: '/b',
        runtime: 'runc',
        runtimeRoot: '/r',
        logPath: '/l',
        exitDir: '/e',
        persistDir: '/p',
        exitCommandArgs: ['a'],
      }),
    ).toThrow(BerthError);
  });
});

describe('parseSyncMessage', () => {
  it('reads a pid', () => {
    expect(parseSyncMessage('{"pid":4242}\n')).toEqual({ pid: 4242 });
  });
  it('reads an error with escapes', () => {
    expect(parseSyncMessage('{"error":"exec: \\"sh\\": not found\\n"}\n')).toEqual({
      error: 'exec: "sh": not found\n',
    });
  });
  it('treats an empty pipe as a monitor that died', () => {
    expect(() => parseSyncMessage('')).toThrow(/exited without reporting/);
  });
  it('rejects garbage and nonsense pids', () => {
    expect(() => parseSyncMessage('hello\n')).toThrow(/unreadable/);
    expect(() => parseSyncMessage('{"pid":-1}\n')).toThrow(/unexpected/);
    expect(() => parseSyncMessage('{"pid":"1"}\n')).toThrow(/unexpected/);
  });
});

describe('runtimeErrorText', () => {
  it('extracts the msg of a runc error line', () => {
    const raw =
      'time="2026-01-01T00:00:00Z" level=error msg="runc create failed: exec: \\"sh\\": executable file not found in $PATH"';
    expect(runtimeErrorText(raw)).toBe('runc create failed: exec: "sh": executable file not found in $PATH');
  });
  it('keeps other text as it is', () => {
    expect(runtimeErrorText('  crun: something broke \n')).toBe('crun: something broke');
  });
});

describe('decodeAttachFrame', () => {
  it('splits the stream byte from the data', () => {
    const f = decodeAttachFrame(Buffer.from([2, 0x68, 0x69]));
    expect(f.stream).toBe('stdout');
    expect(f.data.toString()).toBe('hi');
    const e = decodeAttachFrame(new Uint8Array([3, 0x21]));
    expect(e.stream).toBe('stderr');
    expect(e.data.toString()).toBe('!');
  });
  it('honours a view into a larger buffer', () => {
    const big = Buffer.from([9, 9, 2, 0x61, 0x62, 9]);
    const f = decodeAttachFrame(big.subarray(2, 5));
    expect(f.data.toString()).toBe('ab');
  });
  it('rejects unknown streams and empty records', () => {
    expect(() => decodeAttachFrame(Buffer.from([1, 0x61]))).toThrow(/unknown stream 1/);
    expect(() => decodeAttachFrame(Buffer.alloc(0))).toThrow(/empty/);
  });
});

describe('control messages', () => {
  it('formats a resize', () => {
    expect(ctlResizeMessage(24, 80)).toBe('1 24 80\n');
    expect(() => ctlResizeMessage(-1, 80)).toThrow(BerthError);
    expect(() => ctlResizeMessage(24, 1.5)).toThrow(BerthError);
  });
});

describe('k8s-file log', () => {
  it('parses a line, keeping spaces in the content', () => {
    const r = parseLogLine('2026-11-23T16:45:10.297566494+01:00 stderr P a  b ');
    expect(r).toEqual({
      time: '2026-11-23T16:45:10.297566494+01:00',
      nanos: BigInt(Date.UTC(2026, 10, 23, 15, 45, 10)) * 1_000_000n + 297566494n,
      stream: 'stderr',
      partial: true,
      content: 'a  b ',
    });
    expect(parseLogLine('2026-11-23T16:45:10.1Z stdout F ').content).toBe('');
  });

  it('converts timestamps with offsets to epoch nanoseconds', () => {
    expect(parseRfc3339Nano('1970-01-01T00:00:01.000000002Z')).toBe(1_000_000_002n);
    expect(parseRfc3339Nano('1970-01-01T01:00:00.5+01:00')).toBe(500_000_000n);
    expect(() => parseRfc3339Nano('yesterday')).toThrow(BerthError);
  });

  it('rejects malformed lines', () => {
    expect(() => parseLogLine('2026-11-23T16:45:10Z stdout X hi')).toThrow(/malformed/);
    expect(() => parseLogLine('2026-11-23T16:45:10Z stdin F hi')).toThrow(/malformed/);
    expect(() => parseLogLine('nothing')).toThrow(/malformed/);
  });

  it('joins partial records per stream and skips torn lines', () => {
    const text = [
      'ab stdout F torn',
      '1970-01-01T00:00:00.000000001Z stdout P abc',
      '1970-01-01T00:00:00.000000002Z stderr F err',
      '1970-01-01T00:00:00.000000003Z stdout F def',
      '1970-01-01T00:00:00.000000004Z stdout P unfinished',
      '1970-01-01T00:00:00.000000005Z stdout F still being writ',
    ].join('\n');
    const records = parseLogFile(text);
    expect(records.map((r) => r.content)).toEqual(['abc', 'err', 'def', 'unfinished']);
    const lines = joinLogRecords(records);
    expect(lines.map((l) => [l.stream, l.text, l.nanos])).toEqual([
      ['stdout', 'abcdef\n', 1n],
      ['stderr', 'err\n', 2n],
      ['stdout', 'unfinished', 4n],
    ]);
  });
});

describe('exit file', () => {
  it('reads codes and signals', () => {
    expect(parseExitFile('3')).toBe(3);
    expect(parseExitFile('137\n')).toBe(137);
    expect(exitSignal(137)).toBe(9);
    expect(exitSignal(3)).toBeUndefined();
    expect(() => parseExitFile('')).toThrow(BerthError);
    expect(() => parseExitFile('300')).toThrow(BerthError);
    expect(() => parseExitFile('-1')).toThrow(BerthError);
  });
});
