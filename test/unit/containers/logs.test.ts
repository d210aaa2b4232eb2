import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../../src/engine/containers/common.js';
import {
  containerLogs,
  formatLogTime,
  LineSplitter,
  LogJoiner,
  parseGoDuration,
  parseTail,
  parseTimeSpec,
  selectLogLines,
} from '../../../src/engine/containers/logs.js';
import { type LogLine, parseLogFile, parseLogLine } from '../../../src/runtime/monitor-protocol.js';
import { type ContainerStore, openContainerStore } from '../../../src/storage/containers.js';

const NOW = new Date('2024-05-06T12:00:00Z');
const S = 1_000_000_000n;
const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('parseGoDuration', () => {
  it('reads Go durations in nanoseconds', () => {
    expect(parseGoDuration('10m')).toBe(600n * S);
    expect(parseGoDuration('1h30m')).toBe(5400n * S);
    expect(parseGoDuration('1.5h')).toBe(5400n * S);
    expect(parseGoDuration('250ms')).toBe(250_000_000n);
    expect(parseGoDuration('3us')).toBe(3000n);
    expect(parseGoDuration('-2s')).toBe(-2n * S);
  });

  it('refuses what is not a duration', () => {
    for (const s of ['10', '', 'm', '10x', '1h 2m', '2024-01-01']) expect(parseGoDuration(s)).toBeUndefined();
  });
});

describe('parseTimeSpec', () => {
  it('takes a duration as that long before now', () => {
    expect(parseTimeSpec('10m', NOW)).toBe(at('2024-05-06T11:50:00Z'));
    expect(parseTimeSpec('1h', NOW)).toBe(at('2024-05-06T11:00:00Z'));
  });

  it('reads RFC 3339 times with zones and fractions', () => {
    expect(parseTimeSpec('2024-05-06T10:20:30Z', NOW)).toBe(at('2024-05-06T10:20:30Z'));
    expect(parseTimeSpec('2024-05-06T10:20:30.000000123Z', NOW)).toBe(at('2024-05-06T10:20:30Z') + 123n);
    expect(parseTimeSpec('2024-05-06T12:20:30+02:00', NOW)).toBe(at('2024-05-06T10:20:30Z'));
    expect(parseTimeSpec('2024-05-06T08:20:30.5-02:00', NOW)).toBe(at('2024-05-06T10:20:30Z') + 500_000_000n);
  });

  it('reads dates and shortened times without a zone as local time', () => {
    expect(parseTimeSpec('2024-05-06', NOW)).toBe(BigInt(new Date(2024, 4, 6).getTime()) * 1_000_000n);
    expect(parseTimeSpec('2024-05-06T07:08', NOW)).toBe(
      BigInt(new Date(2024, 4, 6, 7, 8).getTime()) * 1_000_000n,
    );
  });

  it('reads Unix seconds with an optional fraction', () => {
    expect(parseTimeSpec('1700000000', NOW)).toBe(1_700_000_000n * S);
    expect(parseTimeSpec('1700000000.25', NOW)).toBe(1_700_000_000n * S + 250_000_000n);
    expect(parseTimeSpec('0', NOW)).toBe(0n);
  });

  it('refuses anything else with a clear message', () => {
    expect(() => parseTimeSpec('yesterday', NOW)).toThrow(/invalid time "yesterday"/);
    expect(() => parseTimeSpec('2024-13-01', NOW)).toThrow(/invalid time/);
  });
});

describe('parseTail', () => {
  it('reads all, numbers and negatives', () => {
    expect(parseTail('all')).toBeUndefined();
    expect(parseTail(undefined)).toBeUndefined();
    expect(parseTail('-1')).toBeUndefined();
    expect(parseTail('0')).toBe(0);
    expect(parseTail('25')).toBe(25);
    expect(() => parseTail('ten')).toThrow(/--tail/);
  });
});

const line = (sec: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({
  time: '',
  nanos: BigInt(sec) * S,
  stream,
  text: `${text}\n`,
});

describe('selectLogLines', () => {
  const lines = [line(1, 'a'), line(2, 'b', 'stderr'), line(3, 'c'), line(4, 'd'), line(5, 'e')];
  const texts = (ls: LogLine[]) => ls.map((l) => l.text.trim()).join('');

  it('keeps everything without options', () => {
    expect(texts(selectLogLines(lines, {}))).toBe('abcde');
  });

  it('takes the last N lines; 0 gives none', () => {
    expect(texts(selectLogLines(lines, { tail: 2 }))).toBe('de');
    expect(texts(selectLogLines(lines, { tail: 10 }))).toBe('abcde');
    expect(selectLogLines(lines, { tail: 0 })).toEqual([]);
  });

  it('bounds by since and until, both inclusive', () => {
    expect(texts(selectLogLines(lines, { since: 2n * S }))).toBe('bcde');
    expect(texts(selectLogLines(lines, { until: 3n * S }))).toBe('abc');
    expect(texts(selectLogLines(lines, { since: 2n * S, until: 4n * S }))).toBe('bcd');
  });

  it('applies tail before the time bounds, as Docker does', () => {
    expect(texts(selectLogLines(lines, { tail: 3, until: 3n * S }))).toBe('c');
  });
});

describe('formatLogTime', () => {
  it("prints Go's RFC3339Nano in UTC", () => {
    expect(formatLogTime(at('2024-05-06T10:20:30Z') + 123_456_789n)).toBe('2024-05-06T10:20:30.123456789Z');
    expect(formatLogTime(at('2024-05-06T10:20:30Z') + 500_000_000n)).toBe('2024-05-06T10:20:30.5Z');
    expect(formatLogTime(at('2024-05-06T10:20:30Z'))).toBe('2024-05-06T10:20:30Z');
  });
});

describe('LogJoiner and LineSplitter', () => {
  it('joins partial records per stream and hands out only finished lines', () => {
    const j = new LogJoiner();
    const rec = (s: string) => parseLogLine(s);
    expect(j.push(rec('2024-01-01T00:00:01.000000000Z stdout P hel'))).toBeUndefined();
    expect(j.push(rec('2024-01-01T00:00:02.000000000Z stderr F oops'))?.text).toBe('oops\n');
    const done = j.push(rec('2024-01-01T00:00:03.000000000Z stdout F lo'));
    expect(done).toMatchObject({ stream: 'stdout', text: 'hello\n', nanos: at('2024-01-01T00:00:01Z') });
    expect(j.push(rec('2024-01-01T00:00:04.000000000Z stdout P tail'))).toBeUndefined();
    expect(j.flush().map((l) => l.text)).toEqual(['tail']);
    expect(j.flush()).toEqual([]);
  });

  it('splits chunks into lines, keeping the unfinished rest and whole multibyte characters', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('one\ntwo ü\nthr');
    expect(s.push(bytes.subarray(0, 9))).toEqual(['one']);
    expect(s.push(bytes.subarray(9))).toEqual(['two ü']);
    expect(s.push(Buffer.from('ee\n'))).toEqual(['three']);
  });
});

// containerLogs against a real store in a temp dir. A copy of `sleep` named berth-monitor stands
// in for a live monitor, since that is how berth recognises one.
describe('containerLogs', () => {
  let dir: string;
  let store: ContainerStore;
  let monitor: ChildProcess | undefined;
  const id = 'c'.repeat(64);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
    store = await openContainerStore(join(dir, 'root'), join(dir, 'run'));
  });
  afterEach(() => {
    monitor?.kill('SIGKILL');
    monitor = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function makeContainer(status: 'running' | 'exited', monitorPid?: number) {
    const rec = await store.create({
      id,
      name: 'logtest',
      imageRef: 'busybox',
      imageId: 'a'.repeat(64),
      layers: [],
      driver: 'vfs',
      created: new Date().toISOString(),
      config: {},
      state: { status, pid: 0, exitCode: 0, oomKilled: false, restartCount: 0, monitorPid },
    });
    delete rec.incomplete;
    await store.write(rec);
    return rec as never;
  }

  function collect() {
    const out = new PassThrough();
    const err = new PassThrough();
    let o = '';
    let e = '';
    out.on('data', (c) => {
      o += c;
    });
    err.on('data', (c) => {
      e += c;
    });
    return { out, err, text: () => ({ out: o, err: e }) };
  }

  const engine = () => ({ containers: store }) as unknown as ContainerEngine;
  const rec = (t: string, stream: string, tag: string, content: string) =>
    `${t} ${stream} ${tag} ${content}\n`;

  it('splits streams, joins partial records and prefixes timestamps', async () => {
    const c = await makeContainer('exited');
    writeFileSync(
      store.paths(id).log,
      rec('2024-01-01T00:00:01.5Z', 'stdout', 'P', 'hel') +
        rec('2024-01-01T00:00:02Z', 'stderr', 'F', 'bad') +
        rec('2024-01-01T00:00:03Z', 'stdout', 'F', 'lo') +
        rec('2024-01-01T00:00:04Z', 'stdout', 'P', 'no newline'),
    );
    const io = collect();
    await containerLogs(engine(), c, { follow: false, timestamps: true, stdout: io.out, stderr: io.err });
    expect(io.text()).toEqual({
      out: '2024-01-01T00:00:01.5Z hello\n2024-01-01T00:00:04Z no newline',
      err: '2024-01-01T00:00:02Z bad\n',
    });
  });

  it('follows a running container until its exit is recorded, across a log rotation', async () => {
    const fake = join(dir, 'berth-monitor');
    copyFileSync('/bin/sleep', fake);
    monitor = spawn(fake, ['30'], { stdio: 'ignore' });
    const c = await makeContainer('running', monitor.pid);
    const log = store.paths(id).log;
    writeFileSync(log, rec('2024-01-01T00:00:01Z', 'stdout', 'F', 'old'));
    const io = collect();
    let finished = false;
    const following = containerLogs(engine(), c, {
      follow: true,
      tail: 0,
      timestamps: false,
      stdout: io.out,
      stderr: io.err,
    }).then(() => {
      finished = true;
    });
    await new Promise((r) => setTimeout(r, 150));
    appendFileSync(log, rec('2024-01-01T00:00:02Z', 'stdout', 'P', 'new '));
    appendFileSync(log, rec('2024-01-01T00:00:03Z', 'stdout', 'F', 'line'));
    await new Promise((r) => setTimeout(r, 400));
    expect(io.text().out).toBe('new line\n');
    // The monitor's rotation: a fresh file renamed over the old one.
    writeFileSync(`${log}.tmp`, rec('2024-01-01T00:00:04Z', 'stderr', 'F', 'after rotation'));
    renameSync(`${log}.tmp`, log);
    await new Promise((r) => setTimeout(r, 400));
    expect(finished).toBe(false);
    expect(io.text().err).toBe('after rotation\n');
    appendFileSync(log, rec('2024-01-01T00:00:05Z', 'stdout', 'F', 'last words'));
    writeFileSync(store.paths(id).exitFile, '0\n');
    await following;
    expect(io.text().out).toBe('new line\nlast words\n');
  });

  it('does not wait for a container whose monitor is gone', async () => {
    const c = await makeContainer('running', 999_999_999);
    writeFileSync(store.paths(id).log, rec('2024-01-01T00:00:01Z', 'stdout', 'F', 'only'));
    const io = collect();
    await containerLogs(engine(), c, { follow: true, timestamps: false, stdout: io.out, stderr: io.err });
    expect(io.text().out).toBe('only\n');
  });
});

describe('monitor log parsing used by logs', () => {
  it('skips a torn first line', () => {
    expect(parseLogFile('ut F torn\n2024-01-01T00:00:01Z stdout F ok\n').map((r) => r.content)).toEqual([
      'ok',
    ]);
  });
});
