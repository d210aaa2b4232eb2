import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attach, DetachKeyMatcher, parseDetachKeys } from '../../../src/runtime/attach.js';
import { BerthError } from '../../../src/util/errors.js';

describe('parseDetachKeys', () => {
  it('reads Docker key names and single characters', () => {
    expect(parseDetachKeys('ctrl-p,ctrl-q')).toEqual([16, 17]);
    expect(parseDetachKeys('ctrl-a,ctrl-z')).toEqual([1, 26]);
    expect(parseDetachKeys('ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_')).toEqual([0, 27, 28, 29, 30, 31]);
    expect(parseDetachKeys('q')).toEqual([113]);
    expect(parseDetachKeys('x,ctrl-e')).toEqual([120, 5]);
  });

  it('disables detaching for an empty spec', () => {
    expect(parseDetachKeys('')).toEqual([]);
  });

  it('refuses what Docker refuses', () => {
    for (const bad of [
      'ctrl-',
      'ctrl-1',
      'ctrl-P',
      'ab',
      'a,,b',
      'a,',
      'é',
      'ctrl-p ctrl-q',
      ',',
      'a,ctrl-x,,',
    ]) {
      expect(() => parseDetachKeys(bad), bad).toThrow(BerthError);
    }
    expect(() => parseDetachKeys('ctrl-p,bogus')).toThrow(/unknown key "bogus"/);
  });
});

describe('DetachKeyMatcher', () => {
  const feedAll = (m: DetachKeyMatcher, chunks: string[]) => {
    let forward = '';
    for (const c of chunks) {
      const r = m.feed(Buffer.from(c, 'latin1'));
      forward += r.forward.toString('latin1');
      if (r.detached) return { forward, detached: true };
    }
    return { forward, detached: false };
  };

  it('detaches on the sequence and forwards nothing of it', () => {
    expect(feedAll(new DetachKeyMatcher([16, 17]), ['ab\x10\x11cd'])).toEqual({
      forward: 'ab',
      detached: true,
    });
  });

  it('holds a possible start across chunks', () => {
    const m = new DetachKeyMatcher([16, 17]);
    expect(m.feed(Buffer.from('a\x10', 'latin1'))).toEqual({ forward: Buffer.from('a'), detached: false });
    expect(m.feed(Buffer.from('\x11', 'latin1')).detached).toBe(true);
  });

  it('releases held bytes when the sequence breaks, and rescans them', () => {
    expect(feedAll(new DetachKeyMatcher([16, 17]), ['\x10x'])).toEqual({ forward: '\x10x', detached: false });
    expect(feedAll(new DetachKeyMatcher([16, 17]), ['\x10', '\x10', '\x11'])).toEqual({
      forward: '\x10',
      detached: true,
    });
    // A broken "aab" match must still find the sequence starting one byte later.
    expect(feedAll(new DetachKeyMatcher([97, 97, 98]), ['aaab'])).toEqual({ forward: 'a', detached: true });
    expect(feedAll(new DetachKeyMatcher([97, 98, 97, 99]), ['ababac'])).toEqual({
      forward: 'ab',
      detached: true,
    });
  });

  it('flushes a held prefix at the end of input', () => {
    const m = new DetachKeyMatcher([16, 17]);
    expect(m.feed(Buffer.from('z\x10', 'latin1')).forward.toString()).toBe('z');
    expect([...m.flush()]).toEqual([16]);
    expect(m.flush().length).toBe(0);
  });

  it('passes everything with no keys', () => {
    expect(feedAll(new DetachKeyMatcher([]), ['\x10\x11'])).toEqual({ forward: '\x10\x11', detached: false });
  });
});

interface ClientFrame {
  type: number;
  payload: string;
}

/** A stand-in for the monitor's socket: records the client's frames, sends what a test asks. */
class FakeMonitor {
  server: Server;
  sockets: Socket[] = [];
  frames: ClientFrame[] = [];
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  ended = false;
  closed = false;

  constructor() {
    this.server = createServer((s) => {
      this.sockets.push(s);
      s.on('data', (d: Buffer) => {
        this.buf = Buffer.concat([this.buf, d]);
        while (this.buf.length >= 5 && this.buf.length >= 5 + this.buf.readUInt32BE(1)) {
          const len = this.buf.readUInt32BE(1);
          this.frames.push({ type: this.buf[0], payload: this.buf.subarray(5, 5 + len).toString('latin1') });
          this.buf = this.buf.subarray(5 + len);
        }
        this.wake();
      });
      s.on('end', () => {
        this.ended = true;
        this.wake();
      });
      s.on('close', () => {
        this.closed = true;
        this.wake();
      });
      s.on('error', () => {});
      this.wake();
    });
  }

  listen(path: string): Promise<void> {
    return new Promise((resolve) => this.server.listen(path, resolve));
  }

  send(type: number, payload: string): void {
    const body = Buffer.from(payload);
    const head = Buffer.alloc(5);
    head[0] = type;
    head.writeUInt32BE(body.length, 1);
    this.sockets[0].write(Buffer.concat([head, body]));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async until(what: string, cond: () => boolean): Promise<void> {
    const end = Date.now() + 5000;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

class Collect extends Writable {
  chunks: Buffer[] = [];
  isTTY?: boolean;
  rows?: number;
  columns?: number;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk);
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

function fakeTtyStdin(): PassThrough & { isTTY: boolean; modes: boolean[]; setRawMode(b: boolean): void } {
  const s = new PassThrough() as PassThrough & {
    isTTY: boolean;
    modes: boolean[];
    setRawMode(b: boolean): void;
  };
  s.isTTY = true;
  s.modes = [];
  s.setRawMode = (b: boolean) => {
    s.modes.push(b);
  };
  return s;
}

describe('attach', () => {
  let dir = '';
  let monitor: FakeMonitor;
  let socketPath = '';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-attach-'));
    socketPath = join(dir, 'attach');
    monitor = new FakeMonitor();
    await monitor.listen(socketPath);
  });

  afterEach(async () => {
    await monitor.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('demuxes output and resolves with the exit code', async () => {
    const stdout = new Collect();
    const stderr = new Collect();
    const session = attach({ socketPath, stdout, stderr, tty: false, closeStdinOnEof: false });
    await monitor.until('the client', () => monitor.sockets.length === 1);
    let ready = false;
    void session.ready.then(() => {
      ready = true;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(ready).toBe(false);
    monitor.send(5, '');
    await session.ready;
    monitor.send(2, 'out1 ');
    monitor.send(3, 'err');
    monitor.send(2, 'out2');
    monitor.send(4, '42');
    expect(await session.done).toEqual({ kind: 'exited', exitCode: 42 });
    expect(stdout.text).toBe('out1 out2');
    expect(stderr.text).toBe('err');
  });

  it('reports a connection that ends without an exit code as closed', async () => {
    const session = attach({
      socketPath,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: true,
    });
    await monitor.until('the client', () => monitor.sockets.length === 1);
    monitor.send(2, 'partial');
    monitor.sockets[0].end();
    expect(await session.done).toEqual({ kind: 'closed' });
  });

  it('forwards stdin as frames and sends the end of input when asked', async () => {
    const stdin = new PassThrough();
    const session = attach({
      socketPath,
      stdin,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: true,
    });
    stdin.write('hello ');
    // Not a terminal and no -t: the detach keys are data here (binary input must pass untouched).
    stdin.write(Buffer.from([16, 17]));
    stdin.end('world');
    await monitor.until('the end of input', () => monitor.frames.some((f) => f.type === 1));
    const data = monitor.frames
      .filter((f) => f.type === 0)
      .map((f) => f.payload)
      .join('');
    expect(data).toBe('hello \x10\x11world');
    expect(monitor.frames.at(-1)).toEqual({ type: 1, payload: '' });
    expect(monitor.ended).toBe(false);
    monitor.send(4, '0');
    expect(await session.done).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('does not close the container stdin when closeStdinOnEof is off', async () => {
    const stdin = new PassThrough();
    const session = attach({
      socketPath,
      stdin,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: false,
    });
    stdin.end('abc');
    await monitor.until('the data', () => monitor.frames.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(monitor.frames).toEqual([{ type: 0, payload: 'abc' }]);
    session.close();
    expect(await session.done).toEqual({ kind: 'detached' });
  });

  it('with a terminal: raw mode, size at start and on SIGWINCH, detach keys, mode restored', async () => {
    const stdin = fakeTtyStdin();
    const stdout = new Collect();
    stdout.isTTY = true;
    stdout.rows = 24;
    stdout.columns = 80;
    const session = attach({
      socketPath,
      stdin,
      stdout,
      stderr: new Collect(),
      tty: true,
      detachKeys: 'ctrl-x,y',
      closeStdinOnEof: true,
    });
    expect(stdin.modes).toEqual([true]);
    await monitor.until('the first resize', () => monitor.frames.length >= 1);
    expect(monitor.frames[0]).toEqual({ type: 6, payload: '24 80' });
    stdout.rows = 50;
    stdout.columns = 132;
    process.emit('SIGWINCH' as never);
    await monitor.until('the second resize', () => monitor.frames.length >= 2);
    expect(monitor.frames[1]).toEqual({ type: 6, payload: '50 132' });

    stdin.write('ls\r');
    stdin.write('\x18');
    stdin.write('q\x18y after');
    expect(await session.done).toEqual({ kind: 'detached' });
    await monitor.until('the client to go', () => monitor.closed);
    const data = monitor.frames
      .filter((f) => f.type === 0)
      .map((f) => f.payload)
      .join('');
    expect(data).toBe('ls\r\x18q');
    expect(monitor.frames.some((f) => f.type === 1)).toBe(false);
    expect(stdin.modes).toEqual([true, false]);
    expect(process.listenerCount('SIGWINCH')).toBe(0);
  });

  it('restores the terminal when the container exits', async () => {
    const stdin = fakeTtyStdin();
    const session = attach({
      socketPath,
      stdin,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: true,
      closeStdinOnEof: false,
    });
    await monitor.until('the client', () => monitor.sockets.length === 1);
    monitor.send(4, '130');
    expect(await session.done).toEqual({ kind: 'exited', exitCode: 130 });
    expect(stdin.modes).toEqual([true, false]);
  });

  it('watches the default keys for a terminal stdin even without -t', async () => {
    const stdin = fakeTtyStdin();
    const session = attach({
      socketPath,
      stdin,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: true,
    });
    stdin.write(Buffer.from('a\x10\x11'));
    expect(await session.done).toEqual({ kind: 'detached' });
    // No raw mode without a container terminal.
    expect(stdin.modes).toEqual([]);
  });

  it('reaches a socket whose path is longer than sun_path allows', async () => {
    const deep = join(dir, 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const long = join(deep, 'attach');
    expect(Buffer.byteLength(long)).toBeGreaterThan(108);
    const other = new FakeMonitor();
    const fd = openSync(deep, 'r');
    try {
      await other.listen(`/proc/self/fd/${fd}/attach`);
    } finally {
      closeSync(fd);
    }
    try {
      const stdout = new Collect();
      const session = attach({
        socketPath: long,
        stdout,
        stderr: new Collect(),
        tty: false,
        closeStdinOnEof: false,
      });
      await other.until('the client', () => other.sockets.length === 1);
      other.send(2, 'deep');
      other.send(4, '7');
      expect(await session.done).toEqual({ kind: 'exited', exitCode: 7 });
      expect(stdout.text).toBe('deep');
    } finally {
      await other.close();
    }
  });

  it('rejects with a BerthError when nothing listens, restoring the terminal', async () => {
    const stdin = fakeTtyStdin();
    const session = attach({
      socketPath: join(dir, 'missing'),
      stdin,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: true,
      closeStdinOnEof: true,
    });
    await expect(session.done).rejects.toThrow(BerthError);
    await expect(session.done).rejects.toThrow(/connect to .*missing: ENOENT/);
    // Settled, so a caller waiting to start the container does not hang.
    await session.ready;
    expect(stdin.modes).toEqual([true, false]);
  });

  it('refuses invalid detach keys before connecting', () => {
    expect(() =>
      attach({
        socketPath,
        stdout: new Collect(),
        stderr: new Collect(),
        tty: false,
        detachKeys: 'ctrl-',
        closeStdinOnEof: false,
      }),
    ).toThrow(BerthError);
  });
});
