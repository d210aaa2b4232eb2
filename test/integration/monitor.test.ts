// berth-monitor, run for real as root with runc and busybox bundles: the sync report, the k8s-file
// log, exit codes, the exit command, the attach socket, error reports, memory, and that it detaches
// and leaves nothing behind. Self-contained: builds the monitor with cc into a temp dir and talks to
// its attach socket with the CLI's own client (src/runtime/attach.ts), so it needs root, cc, runc
// and busybox.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AttachResult, attach } from '../../src/runtime/attach.js';
import {
  ctlResizeMessage,
  joinLogRecords,
  MonitorFile,
  type MonitorOptions,
  monitorArgv,
  parseExitFile,
  parseLogFile,
  parseSyncMessage,
  type SyncMessage,
} from '../../src/runtime/monitor-protocol.js';

const top = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const BUSYBOX = '/bin/busybox';

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `PATH="$PATH:/usr/sbin:/sbin" command -v ${cmd}`]).status === 0;
}

const canRun = process.getuid?.() === 0 && hasCommand('cc') && hasCommand('runc') && existsSync(BUSYBOX);

let work = '';
let monitorBin = '';
let rootfs = '';
let seq = 0;
const runtimeRoot = () => join(work, 'runc-root');
const created: string[] = [];
const children: ChildProcess[] = [];

interface Container {
  id: string;
  dir: string;
  persist: string;
  exitDir: string;
  logPath: string;
  opts: MonitorOptions;
}

function newContainer(
  args: string[],
  extra: Partial<MonitorOptions> = {},
  terminal = false,
  longPersistDir = false,
): Container {
  const id = `berth-mon-${process.pid}-${++seq}`;
  const dir = join(work, id);
  const persist = longPersistDir ? join(dir, 'p'.repeat(60), 'q'.repeat(60)) : join(dir, 'persist');
  if (longPersistDir) mkdirSync(join(persist, '..'), { recursive: true });
  const bundle = join(dir, 'bundle');
  mkdirSync(bundle, { recursive: true });
  execFileSync('runc', ['spec'], { cwd: bundle });
  const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
  config.root = { path: rootfs, readonly: false };
  config.process.args = args;
  config.process.terminal = terminal;
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
  const c: Container = {
    id,
    dir,
    persist,
    exitDir: join(dir, 'exits'),
    logPath: join(dir, 'ctr.log'),
    opts: {
      cid: id,
      bundle,
      runtime: 'runc',
      runtimeRoot: runtimeRoot(),
      logPath: join(dir, 'ctr.log'),
      exitDir: join(dir, 'exits'),
      persistDir: persist,
      terminal,
      ...extra,
    },
  };
  created.push(id);
  return c;
}

interface Started {
  sync: SyncMessage;
  /** The exit code of the process the test spawned (it exits right after forking the monitor). */
  firstExit: number | null;
  firstPid: number;
}

/** Spawns the monitor as the CLI will: the sync pipe on fd 3, nothing else. */
async function startMonitor(c: Container): Promise<Started> {
  const child = spawn(monitorBin, monitorArgv(c.opts), { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const syncStream = child.stdio[3] as Readable;
  const chunks: Buffer[] = [];
  syncStream.on('data', (d: Buffer) => chunks.push(d));
  // The pipe closes when the detached monitor has reported, not when the spawned process exits.
  const syncClosed = new Promise<void>((resolve) => syncStream.on('close', () => resolve()));
  const firstExit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await syncClosed;
  const text = Buffer.concat(chunks).toString();
  if (text === '' && stderr !== '') throw new Error(`monitor failed: ${stderr}`);
  return { sync: parseSyncMessage(text), firstExit, firstPid: child.pid! };
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (this machine's init may be slow to reap). */
function alive(pid: number): boolean {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

function statField(pid: number, index: number): number {
  const stat = readOr(`/proc/${pid}/stat`) ?? '';
  // Fields after "(comm)": state is index 0 there; ppid 1, pgrp 2, session 3.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[index]);
}

/** Live processes whose command line mentions text. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmd = readOr(`/proc/${name}/cmdline`);
    if (cmd?.includes(text) && alive(Number(name))) found.push(Number(name));
  }
  return found;
}

async function waitExit(c: Container): Promise<number> {
  const text = await waitFor('the exit file', () => readOr(join(c.exitDir, c.id)));
  return parseExitFile(text);
}

async function waitMonitorGone(c: Container): Promise<void> {
  const pid = Number(readFileSync(join(c.persist, MonitorFile.monitorPid), 'utf8'));
  await waitFor('the monitor to end', () => (alive(pid) ? undefined : true));
  await waitFor('no processes of the container', () =>
    processesMentioning(c.id).length === 0 ? true : undefined,
  );
}

/** Collects what a container writes, and can wait for a piece of it. */
class Collect extends Writable {
  private chunks: Buffer[] = [];
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
  waitFor(text: string): Promise<true> {
    return waitFor(`output ${JSON.stringify(text)} (have ${JSON.stringify(this.text)})`, () =>
      this.text.includes(text) ? true : undefined,
    );
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

function runc(args: string[]): void {
  execFileSync('runc', ['--root', runtimeRoot(), ...args], { stdio: 'ignore' });
}

describe.skipIf(!canRun)('berth-monitor', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'berth-monitor-'));
    monitorBin = join(work, 'berth-monitor');
    const sources = readdirSync(join(top, 'native', 'monitor'))
      .filter((f) => f.endsWith('.c'))
      .map((f) => join(top, 'native', 'monitor', f));
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-o', monitorBin, ...sources]);
    rootfs = join(work, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
    execFileSync('chmod', ['755', join(rootfs, 'bin', 'busybox')]);
    for (const applet of ['sh', 'echo', 'printf', 'sleep', 'cat', 'tty', 'true', 'stty', 'seq', 'wc']) {
      symlinkSync('busybox', join(rootfs, 'bin', applet));
    }
  });

  afterEach(() => {
    for (const id of created.splice(0)) spawnSync('runc', ['--root', runtimeRoot(), 'delete', '--force', id]);
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('reports the pid, logs both streams in k8s-file format, records the exit code and runs the exit command', async () => {
    const marker = join(work, 'exit-command-ran');
    const c = newContainer(['sh', '-c', 'printf abc; sleep 0.3; echo def; echo err >&2; sleep 1; exit 3'], {
      start: true,
      exitCommand: '/bin/sh',
      exitCommandArgs: ['-c', `echo "$0" > ${marker}`, 'cleanup-arg'],
    });
    const started = await startMonitor(c);
    expect(started.sync).toHaveProperty('pid');
    const pid = (started.sync as { pid: number }).pid;
    expect(readFileSync(join(c.persist, MonitorFile.containerPid), 'utf8').trim()).toBe(String(pid));

    // Detached: the process we spawned is gone, the monitor lives on in a session of its own, and it
    // is the container's parent (subreaper).
    expect(started.firstExit).toBe(0);
    const monitorPid = Number(readFileSync(join(c.persist, MonitorFile.monitorPid), 'utf8'));
    expect(monitorPid).not.toBe(started.firstPid);
    expect(alive(monitorPid)).toBe(true);
    expect(statField(monitorPid, 3)).not.toBe(statField(process.pid, 3));
    expect(statField(pid, 1)).toBe(monitorPid);

    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${monitorPid}/status`, 'utf8'))?.[1]);
    console.log(`berth-monitor VmRSS: ${rss} kB`);
    expect(rss).toBeGreaterThan(0);
    expect(rss).toBeLessThan(2048);

    expect(await waitExit(c)).toBe(3);
    expect(parseExitFile(readFileSync(join(c.persist, MonitorFile.exit), 'utf8'))).toBe(3);
    expect((await waitFor('the exit command', () => readOr(marker))).trim()).toBe('cleanup-arg');

    const records = parseLogFile(readFileSync(c.logPath, 'utf8'));
    expect(records.map((r) => [r.stream, r.partial, r.content])).toEqual([
      ['stdout', true, 'abc'],
      ['stdout', false, 'def'],
      ['stderr', false, 'err'],
    ]);
    const raw = readFileSync(c.logPath, 'utf8').split('\n')[0];
    expect(raw).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d stdout P abc$/);
    expect(joinLogRecords(records).map((l) => l.text)).toEqual(['abcdef\n', 'err\n']);
    const now = BigInt(Date.now()) * 1_000_000n;
    expect(now - records[0].nanos).toBeLessThan(60_000_000_000n);
    // Each record is stamped when the monitor reads it: 0.3 s apart at the source, less if the
    // monitor was late reading the first on a loaded machine, but clearly apart.
    expect(records[1].nanos - records[0].nanos).toBeGreaterThanOrEqual(100_000_000n);

    await waitMonitorGone(c);
    expect(alive(pid)).toBe(false);
  });

  it('records 137 for a container killed by SIGKILL', async () => {
    const c = newContainer(['sleep', '100'], { start: true });
    const started = await startMonitor(c);
    expect(started.sync).toHaveProperty('pid');
    runc(['kill', c.id, 'KILL']);
    expect(await waitExit(c)).toBe(137);
    await waitMonitorGone(c);
  });

  it('demuxes output to an attach client, feeds its stdin until it sends the end, and sends the exit code', async () => {
    // A persist dir past sun_path's 108 bytes: both ends go through /proc/self/fd.
    const c = newContainer(['sh', '-c', 'cat; echo done >&2; exit 4'], { stdin: true }, false, true);
    expect(Buffer.byteLength(join(c.persist, MonitorFile.attach))).toBeGreaterThan(108);
    const started = await startMonitor(c);
    expect(started.sync).toHaveProperty('pid');
    const socket = join(c.persist, MonitorFile.attach);
    expect(existsSync(socket)).toBe(true);

    const stdin = new PassThrough();
    const stdout = new Collect();
    const stderr = new Collect();
    const session = attach({ socketPath: socket, stdin, stdout, stderr, tty: false, closeStdinOnEof: true });
    await session.ready;
    // Without --start the CLI starts the container once it is attached.
    runc(['start', c.id]);
    stdin.write('hello\n');
    await stdout.waitFor('hello\n');
    stdin.end('world\n');
    expect(await session.done).toEqual({ kind: 'exited', exitCode: 4 });
    expect(stdout.text).toBe('hello\nworld\n');
    expect(stderr.text).toBe('done\n');

    // The exit frame comes after the exit file is written.
    expect(parseExitFile(readFileSync(join(c.exitDir, c.id), 'utf8'))).toBe(4);
    const lines = joinLogRecords(parseLogFile(readFileSync(c.logPath, 'utf8')));
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'hello\n'],
      ['stdout', 'world\n'],
      ['stderr', 'done\n'],
    ]);
    await waitMonitorGone(c);
  });

  it('keeps the container and its stdin going when a client detaches; later clients get new output only', async () => {
    const c = newContainer(['sh', '-c', 'while read l; do echo got-$l; done; echo eof; exit 9'], {
      stdin: true,
      start: true,
    });
    const started = await startMonitor(c);
    const pid = (started.sync as { pid: number }).pid;
    const socketPath = join(c.persist, MonitorFile.attach);

    const in1 = new PassThrough();
    const out1 = new Collect();
    const first = attach({
      socketPath,
      stdin: in1,
      stdout: out1,
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: true,
    });
    await first.ready;
    in1.write('one\n');
    await out1.waitFor('got-one\n');
    first.close();
    expect(await first.done).toEqual({ kind: 'detached' });
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(true);
    expect(existsSync(join(c.exitDir, c.id))).toBe(false);

    // A watcher without stdin, and a second client that types: both see the same new output.
    const watchOut = new Collect();
    const watcher = attach({
      socketPath,
      stdout: watchOut,
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: false,
    });
    const in2 = new PassThrough();
    const out2 = new Collect();
    const second = attach({
      socketPath,
      stdin: in2,
      stdout: out2,
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: true,
    });
    await Promise.all([watcher.ready, second.ready]);
    in2.write('two\n');
    await out2.waitFor('got-two\n');
    in2.end();
    const results: AttachResult[] = await Promise.all([second.done, watcher.done]);
    expect(results).toEqual([
      { kind: 'exited', exitCode: 9 },
      { kind: 'exited', exitCode: 9 },
    ]);
    expect(out2.text).toBe('got-two\neof\n');
    expect(watchOut.text).toBe('got-two\neof\n');
    expect(joinLogRecords(parseLogFile(readFileSync(c.logPath, 'utf8'))).map((l) => l.text)).toEqual([
      'got-one\n',
      'got-two\n',
      'eof\n',
    ]);
    await waitMonitorGone(c);
  });

  it('delivers input and its end from a client that hung up while the container was not reading', async () => {
    const c = newContainer(['sh', '-c', 'sleep 1; wc -c'], { stdin: true, start: true });
    await startMonitor(c);
    const stdin = new PassThrough();
    const session = attach({
      socketPath: join(c.persist, MonitorFile.attach),
      stdin,
      stdout: new Collect(),
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: true,
    });
    await session.ready;
    // More than a pipe holds: the monitor stops reading this client until the container reads.
    stdin.end(Buffer.alloc(100_000, 0x61));
    await new Promise((r) => setTimeout(r, 100));
    session.close();
    expect(await session.done).toEqual({ kind: 'detached' });
    expect(await waitExit(c)).toBe(0);
    expect(joinLogRecords(parseLogFile(readFileSync(c.logPath, 'utf8'))).map((l) => l.text.trim())).toEqual([
      '100000',
    ]);
    await waitMonitorGone(c);
  });

  it('drops a client that stops reading, after 5 s, and keeps serving the others', async () => {
    const c = newContainer(['sh', '-c', 'seq 1 200000; exit 2'], { stdin: false });
    await startMonitor(c);
    const socketPath = join(c.persist, MonitorFile.attach);
    const stuck = connect({ path: socketPath });
    let stuckClosed = false;
    stuck.on('error', () => {});
    stuck.on('close', () => {
      stuckClosed = true;
    });
    await new Promise((r) => stuck.once('connect', r));
    stuck.pause();
    const out = new Collect();
    const reader = attach({
      socketPath,
      stdout: out,
      stderr: new Collect(),
      tty: false,
      closeStdinOnEof: false,
    });
    await reader.ready;
    const t0 = Date.now();
    runc(['start', c.id]);
    expect(await reader.done).toEqual({ kind: 'exited', exitCode: 2 });
    // About 1.3 MB: far more than the stuck client's socket holds, so the monitor waited for it.
    expect(Date.now() - t0).toBeGreaterThan(4500);
    const lines = out.text.split('\n');
    expect(lines.length).toBe(200001);
    expect(lines.at(-2)).toBe('200000');
    stuck.resume();
    await waitFor('the stuck client to be cut off', () => (stuckClosed ? true : undefined));
    stuck.destroy();
    await waitMonitorGone(c);
  });

  it('with a terminal: raw input, resizes from the client, detach keys, reattach', async () => {
    const c = newContainer(
      ['sh', '-c', 'sleep 0.3; stty size; read x; stty size; echo got-$x; read y; echo bye-$y; exit 3'],
      { stdin: true },
      true,
    );
    const started = await startMonitor(c);
    const pid = (started.sync as { pid: number }).pid;
    const socketPath = join(c.persist, MonitorFile.attach);
    const stdin = fakeTtyStdin();
    const stdout = new Collect();
    stdout.isTTY = true;
    stdout.rows = 33;
    stdout.columns = 111;
    const session = attach({
      socketPath,
      stdin,
      stdout,
      stderr: new Collect(),
      tty: true,
      closeStdinOnEof: true,
    });
    await session.ready;
    runc(['start', c.id]);
    await stdout.waitFor('33 111\r\n');
    stdout.rows = 40;
    stdout.columns = 120;
    process.emit('SIGWINCH' as never);
    await new Promise((r) => setTimeout(r, 200));
    stdin.write('go\r');
    await stdout.waitFor('got-go\r\n');
    expect(stdout.text).toContain('40 120\r\n');
    // The default keys, split across writes; the container never sees them.
    stdin.write('\x10');
    stdin.write('\x11');
    expect(await session.done).toEqual({ kind: 'detached' });
    expect(stdin.modes).toEqual([true, false]);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(true);

    const again = new PassThrough();
    const out2 = new Collect();
    const second = attach({
      socketPath,
      stdin: again,
      stdout: out2,
      stderr: new Collect(),
      tty: true,
      closeStdinOnEof: true,
    });
    await second.ready;
    again.write('end\r');
    expect(await second.done).toEqual({ kind: 'exited', exitCode: 3 });
    // The terminal echoes input; the detach keys (^P^Q) never reached it.
    expect(out2.text).toContain('bye-end\r\n');
    expect(out2.text).not.toContain('^P');
    await waitMonitorGone(c);
  });

  it('gives the container a terminal with --terminal and resizes it through the ctl fifo', async () => {
    const c = newContainer(['sh', '-c', 'tty; sleep 0.5; stty size; exit 5'], { start: true }, true);
    const started = await startMonitor(c);
    expect(started.sync).toHaveProperty('pid');
    writeFileSync(join(c.persist, MonitorFile.ctl), ctlResizeMessage(33, 111));
    expect(await waitExit(c)).toBe(5);
    const lines = joinLogRecords(parseLogFile(readFileSync(c.logPath, 'utf8')));
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', '/dev/pts/0\r\n'],
      ['stdout', '33 111\r\n'],
    ]);
    await waitMonitorGone(c);
  });

  it('starts the log again when it would pass --log-size-max', async () => {
    const c = newContainer(['sh', '-c', 'for i in $(seq 1 40); do echo line-$i; sleep 0.01; done'], {
      start: true,
      logSizeMax: 400,
    });
    await startMonitor(c);
    expect(await waitExit(c)).toBe(0);
    const text = readFileSync(c.logPath, 'utf8');
    expect(text.length).toBeLessThanOrEqual(400);
    const contents = parseLogFile(text).map((r) => r.content);
    expect(contents.length).toBeGreaterThan(0);
    expect(contents.at(-1)).toBe('line-40');
    expect(contents).not.toContain('line-1');
    await waitMonitorGone(c);
  });

  it('reports the runtime error on the sync pipe for a bad bundle', async () => {
    const c = newContainer(['/no/such/program']);
    const started = await startMonitor(c);
    expect(started.sync).toHaveProperty('error');
    expect((started.sync as { error: string }).error).toContain('/no/such/program');
    expect(existsSync(join(c.exitDir, c.id))).toBe(false);
    await waitMonitorGone(c);

    const missing = newContainer(['true']);
    rmSync(join(missing.opts.bundle, 'config.json'));
    const again = await startMonitor(missing);
    expect((again.sync as { error: string }).error).toMatch(/config\.json/);
    await waitMonitorGone(missing);
  });
});
