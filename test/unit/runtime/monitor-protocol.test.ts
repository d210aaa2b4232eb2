import { describe, expect, it } from 'vitest';
import {
  AttachFrameDecoder,
  ctlResizeMessage,
  encodeClientFrame,
  encodeFrame,
  exitSignal,
  FrameType,
  joinLogRecords,
  monitorArgv,
  parseExitFile,
  parseLogFile,
  parseLogLine,
  parseRfc3339Nano,
  parseSyncMessage,
  resizeFrame,
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

describe('attach frames', () => {
  // Built by hand, independently of encodeFrame.
  const frame = (type: number, payload: string): Buffer => {
    const body = Buffer.from(payload);
    const n = body.length;
    return Buffer.concat([
      Buffer.from([type, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]),
      body,
    ]);
  };

  it('encodes client frames with a big-endian length', () => {
    expect([...encodeClientFrame(FrameType.stdin, 'hi')]).toEqual([0, 0, 0, 0, 2, 0x68, 0x69]);
    expect([...encodeClientFrame(FrameType.stdinEof)]).toEqual([1, 0, 0, 0, 0]);
    const big = encodeClientFrame(FrameType.stdin, Buffer.alloc(0x10203, 7));
    expect([...big.subarray(0, 5)]).toEqual([0, 0, 1, 2, 3]);
    expect(big.length).toBe(5 + 0x10203);
    expect(big.at(-1)).toBe(7);
    expect(resizeFrame(24, 80).equals(frame(6, '24 80'))).toBe(true);
  });

  it('refuses frame types a client does not send and bad sizes', () => {
    expect(() => encodeClientFrame(2 as never, 'x')).toThrow(BerthError);
    expect(() => encodeFrame(256)).toThrow(BerthError);
    expect(() => resizeFrame(-1, 80)).toThrow(BerthError);
    expect(() => resizeFrame(24, 70000)).toThrow(BerthError);
  });

  it('decodes output and the exit code', () => {
    const d = new AttachFrameDecoder();
    const stream = Buffer.concat([
      frame(5, ''),
      frame(2, 'out'),
      frame(3, 'err'),
      frame(2, ''),
      frame(4, '137'),
    ]);
    const events = d.push(stream);
    expect(
      events.map((e) =>
        e.kind === 'exit' ? ['exit', e.exitCode] : [e.kind, 'data' in e ? e.data.toString() : ''],
      ),
    ).toEqual([
      ['ready', ''],
      ['stdout', 'out'],
      ['stderr', 'err'],
      ['stdout', ''],
      ['exit', 137],
    ]);
    expect(d.pending).toBe(0);
  });

  it('reassembles frames split at every possible point', () => {
    const stream = Buffer.concat([frame(2, 'hello'), frame(3, 'x'.repeat(300)), frame(4, '0')]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new AttachFrameDecoder();
      const events = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(events.map((e) => e.kind)).toEqual(['stdout', 'stderr', 'exit']);
      expect(events[1].kind === 'stderr' && events[1].data.toString()).toBe('x'.repeat(300));
      expect(d.pending).toBe(0);
    }
    // One byte at a time.
    const d = new AttachFrameDecoder();
    const out: string[] = [];
    for (const b of stream) {
      for (const e of d.push(Buffer.from([b]))) out.push(e.kind);
    }
    expect(out).toEqual(['stdout', 'stderr', 'exit']);
  });

  it('holds back an unfinished frame and reports it as pending', () => {
    const d = new AttachFrameDecoder();
    expect(d.push(frame(2, 'abcdef').subarray(0, 7))).toEqual([]);
    expect(d.pending).toBe(7);
  });

  it('skips unknown frame types and rejects corrupt streams', () => {
    const d = new AttachFrameDecoder();
    expect(d.push(Buffer.concat([frame(9, ''), frame(2, 'a')])).map((e) => e.kind)).toEqual([
      'unknown',
      'stdout',
    ]);
    expect(() => new AttachFrameDecoder().push(Buffer.from([2, 0x7f, 0, 0, 0]))).toThrow(/corrupt/);
    expect(() => new AttachFrameDecoder().push(frame(4, 'x1'))).toThrow(/invalid exit code/);
    expect(() => new AttachFrameDecoder().push(frame(4, '256'))).toThrow(/invalid exit code/);
  });

  it('accepts Uint8Array views into larger buffers', () => {
    const whole = Buffer.concat([Buffer.from([9, 9]), frame(2, 'ab'), Buffer.from([9])]);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 3);
    const [e] = new AttachFrameDecoder().push(view);
    expect(e.kind === 'stdout' && e.data.toString()).toBe('ab');
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
