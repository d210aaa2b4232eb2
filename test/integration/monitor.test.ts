// berth-monitor, run for real as root with runc and busybox bundles: the sync report, the k8s-file
// log, exit codes, the exit command, the attach socket, error reports, memory, and that it detaches
// and leaves nothing behind. Self-contained: builds the monitor (and a tiny SEQPACKET attach client)
// with cc into a temp dir, so it needs root, cc, runc and busybox.
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ctlResizeMessage,
  decodeAttachFrame,
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

// Connects to the attach socket, says "connected" on stderr, sends its own stdin as records and then
// shutdown(SHUT_WR), and writes every record it receives to stdout as a 4-byte length + the record.
const ATTACH_CLIENT = String.raw`
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static int put(const void *p, size_t n) {
  const char *c = p;
  while (n > 0) { ssize_t w = write(1, c, n); if (w <= 0) return -1; c += w; n -= (size_t)w; }
  return 0;
}
int main(int argc, char **argv) {
  if (argc != 2) return 2;
  int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
  fprintf(stderr, "connected\n");
  int in_open = 1;
  char buf[9000];
  for (;;) {
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = 0, .events = in_open ? POLLIN : 0}};
    if (poll(p, 2, -1) < 0) return 1;
    if (p[1].revents) {
      ssize_t n = read(0, buf, 4096);
      if (n > 0) send(fd, buf, (size_t)n, 0);
      else { shutdown(fd, SHUT_WR); in_open = 0; }
    }
    if (p[0].revents) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return 0;
      uint32_t len = (uint32_t)n;
      if (put(&len, 4) < 0 || put(buf, (size_t)n) < 0) return 1;
    }
  }
}
`;

let work = '';
let monitorBin = '';
let clientBin = '';
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

function newContainer(args: string[], extra: Partial<MonitorOptions> = {}, terminal = false): Container {
  const id = `berth-mon-${process.pid}-${++seq}`;
  const dir = join(work, id);
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
    persist: join(dir, 'persist'),
    exitDir: join(dir, 'exits'),
    logPath: join(dir, 'ctr.log'),
    opts: {
      cid: id,
      bundle,
      runtime: 'runc',
      runtimeRoot: runtimeRoot(),
      logPath: join(dir, 'ctr.log'),
      exitDir: join(dir, 'exits'),
      persistDir: join(dir, 'persist'),
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
    clientBin = join(work, 'attach-client');
    writeFileSync(`${clientBin}.c`, ATTACH_CLIENT);
    execFileSync('cc', ['-O2', '-o', clientBin, `${clientBin}.c`]);
    rootfs = join(work, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
    execFileSync('chmod', ['755', join(rootfs, 'bin', 'busybox')]);
    for (const applet of ['sh', 'echo', 'printf', 'sleep', 'cat', 'tty', 'true', 'stty', 'seq']) {
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
    expect(records[1].nanos - records[0].nanos).toBeGreaterThanOrEqual(250_000_000n);

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

  it('streams output to attach clients and feeds their input to stdin until they shut down', async () => {
    const c = newContainer(['sh', '-c', 'cat; echo done >&2'], { stdin: true });
    const started = await startMonitor(c);
    expect(started.sync).toHaveProperty('pid');
    const socket = join(c.persist, MonitorFile.attach);
    expect(existsSync(socket)).toBe(true);

    const client = spawn(clientBin, [socket], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(client);
    const out: Buffer[] = [];
    client.stdout!.on('data', (d: Buffer) => out.push(d));
    let clientErr = '';
    await new Promise<void>((resolve, reject) => {
      client.stderr!.on('data', (d: Buffer) => {
        clientErr += d.toString();
        if (clientErr.includes('connected')) resolve();
      });
      client.on('exit', () => reject(new Error(`attach client failed: ${clientErr}`)));
    });
    // Without --start the CLI starts the container once it is attached.
    runc(['start', c.id]);
    client.stdin!.write('hello\n');
    await new Promise((r) => setTimeout(r, 200));
    client.stdin!.end('world\n');
    const clientExit = await new Promise<number | null>((resolve) =>
      client.on('exit', (code) => resolve(code)),
    );
    expect(clientExit).toBe(0);

    const all = Buffer.concat(out);
    const frames: { stream: string; text: string }[] = [];
    for (let off = 0; off < all.length; ) {
      const len = all.readUInt32LE(off);
      const f = decodeAttachFrame(all.subarray(off + 4, off + 4 + len));
      frames.push({ stream: f.stream, text: f.data.toString() });
      off += 4 + len;
    }
    const stdout = frames.filter((f) => f.stream === 'stdout').map((f) => f.text);
    const stderr = frames.filter((f) => f.stream === 'stderr').map((f) => f.text);
    expect(stdout.join('')).toBe('hello\nworld\n');
    expect(stderr.join('')).toBe('done\n');

    expect(await waitExit(c)).toBe(0);
    const lines = joinLogRecords(parseLogFile(readFileSync(c.logPath, 'utf8')));
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'hello\n'],
      ['stdout', 'world\n'],
      ['stderr', 'done\n'],
    ]);
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
