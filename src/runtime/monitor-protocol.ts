import { BerthError } from '../util/errors.js';

/**
 * How the CLI talks to berth-monitor (native/monitor/): its argv, the one JSON line it sends on the
 * sync pipe, the attach socket's frames, the control fifo's messages, and the files it leaves in the
 * container's persist dir. Pure: no I/O here, so both sides of the contract are testable.
 */

/** The fd the CLI hands the sync pipe's write end on (stdio: ['ignore', 'ignore', 'ignore', 'pipe']). */
export const MONITOR_SYNC_FD = 3;

/** Files the monitor creates in its persist dir. */
export const MonitorFile = {
  /** SOCK_STREAM attach socket with framing; see FrameType and AttachFrameDecoder. */
  attach: 'attach',
  /** Control fifo; see ctlResizeMessage and CTL_REOPEN_LOG. */
  ctl: 'ctl',
  /** The monitor's own pid (decimal). */
  monitorPid: 'monitor.pid',
  /** The container's init pid as the runtime wrote it. */
  containerPid: 'pidfile',
  /** The exit code, as in EXIT_DIR/<id>; see parseExitFile. */
  exit: 'exit',
  /** Present when an OOM kill was seen in the container's cgroup. */
  oom: 'oom',
  /** The monitor's own diagnostics (errors always, debug lines with --log-level debug). */
  diagnostics: 'monitor.log',
} as const;

export interface MonitorOptions {
  cid: string;
  bundle: string;
  /** Path or name (looked up in PATH) of runc or crun. */
  runtime: string;
  /** Global runtime flags placed before `--root`, e.g. ['--systemd-cgroup']. */
  runtimeArgs?: string[];
  runtimeRoot: string;
  logPath: string;
  /** Bytes; the log file is started again when the next record would pass it. */
  logSizeMax?: number;
  exitDir: string;
  persistDir: string;
  terminal?: boolean;
  stdin?: boolean;
  leaveStdinOpen?: boolean;
  /** Let the monitor run `runtime start` itself (detached runs with nothing to attach first). */
  start?: boolean;
  syncFd?: number;
  exitCommand?: string;
  exitCommandArgs?: string[];
  /** Seconds to wait before running the exit command. */
  exitDelay?: number;
  debug?: boolean;
}

/** The arguments for berth-monitor (without the program itself). */
export function monitorArgv(o: MonitorOptions): string[] {
  const argv = ['--cid', o.cid, '--bundle', o.bundle, '--runtime', o.runtime];
  for (const a of o.runtimeArgs ?? []) argv.push('--runtime-arg', a);
  argv.push('--runtime-root', o.runtimeRoot, '--log-path', o.logPath);
  if (o.logSizeMax !== undefined && o.logSizeMax > 0)
    argv.push('--log-size-max', String(Math.floor(o.logSizeMax)));
  argv.push('--exit-dir', o.exitDir, '--persist-dir', o.persistDir);
  if (o.terminal) argv.push('--terminal');
  if (o.stdin) argv.push('--stdin');
  if (o.leaveStdinOpen) argv.push('--leave-stdin-open');
  if (o.start) argv.push('--start');
  argv.push('--sync-fd', String(o.syncFd ?? MONITOR_SYNC_FD));
  if (o.exitCommand !== undefined) {
    argv.push('--exit-command', o.exitCommand);
    for (const a of o.exitCommandArgs ?? []) argv.push('--exit-command-arg', a);
  } else if ((o.exitCommandArgs ?? []).length > 0) {
    throw new BerthError('monitor arguments: exit command arguments given without an exit command');
  }
  if (o.exitDelay !== undefined && o.exitDelay > 0)
    argv.push('--exit-delay', String(Math.floor(o.exitDelay)));
  if (o.debug) argv.push('--log-level', 'debug');
  return argv;
}

export type SyncMessage = { pid: number } | { error: string };

/**
 * The monitor's report on the sync pipe: everything read until the pipe closed. An empty pipe means
 * the monitor died before it could say anything.
 */
export function parseSyncMessage(text: string): SyncMessage {
  const line = text.split('\n', 1)[0].trim();
  if (line === '') throw new BerthError('container monitor: exited without reporting the container');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BerthError(`container monitor: unreadable report: ${line.slice(0, 200)}`);
  }
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.error === 'string') return { error: v.error };
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0) return { pid: v.pid };
  }
  throw new BerthError(`container monitor: unexpected report: ${line.slice(0, 200)}`);
}

/**
 * The runtime's error as the user should read it: runc wraps it as `time=... level=error msg="..."`;
 * the msg part is what matters.
 */
export function runtimeErrorText(error: string): string {
  const m = /level=(?:error|fatal) msg="((?:[^"\\]|\\.)*)"/.exec(error);
  if (m === null) return error.trim();
  return m[1].replace(/\\(.)/g, '$1');
}

/**
 * Attach socket frame types. Every frame on the (SOCK_STREAM) attach socket, in both directions, is
 * `[1 byte type][4 bytes big-endian payload length][payload]`.
 */
export const FrameType = {
  /** client -> monitor: bytes for the container's stdin. */
  stdin: 0,
  /** client -> monitor: close the container's stdin (not with --leave-stdin-open, not for a terminal). */
  stdinEof: 1,
  /** monitor -> client: container output. With a terminal everything arrives as stdout. */
  stdout: 2,
  stderr: 3,
  /** monitor -> client: the exit code as decimal text, sent right before the monitor closes. */
  exit: 4,
  /**
   * monitor -> client: empty, the first frame of every connection: the client is registered and all
   * output from here on reaches it (start the container only after it, or early output is missed).
   */
  ready: 5,
  /** client -> monitor: resize the terminal; payload `HEIGHT WIDTH`. */
  resize: 6,
} as const;

export const FRAME_HEADER_BYTES = 5;
/** Far above what the monitor sends (8 KiB chunks): a larger length means a corrupt stream. */
export const MAX_FRAME_PAYLOAD = 1 << 20;

/** One frame of either direction. */
export function encodeFrame(type: number, payload: Uint8Array | string = Buffer.alloc(0)): Buffer {
  if (!Number.isInteger(type) || type < 0 || type > 255)
    throw new BerthError(`attach: invalid frame type ${type}`);
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame[0] = type;
  frame.writeUInt32BE(body.length, 1);
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

export type ClientFrameType = typeof FrameType.stdin | typeof FrameType.stdinEof | typeof FrameType.resize;

/** A frame the CLI sends to the monitor: stdin data, stdin end, or a resize. */
export function encodeClientFrame(
  type: ClientFrameType,
  payload: Uint8Array | string = Buffer.alloc(0),
): Buffer {
  if (type !== FrameType.stdin && type !== FrameType.stdinEof && type !== FrameType.resize) {
    throw new BerthError(`attach: frame type ${type} is not one a client sends`);
  }
  return encodeFrame(type, payload);
}

/** The resize frame for a terminal of height rows and width columns. */
export function resizeFrame(height: number, width: number): Buffer {
  checkSize(height, width);
  return encodeClientFrame(FrameType.resize, `${height} ${width}`);
}

export type AttachEvent =
  | { kind: 'stdout' | 'stderr'; data: Buffer }
  | { kind: 'exit'; exitCode: number }
  | { kind: 'ready' }
  /** A frame type this version does not know (a newer monitor); its payload is skipped. */
  | { kind: 'unknown'; type: number };

/**
 * Turns the monitor's byte stream, in whatever pieces it arrives, into frames. Data payloads are
 * views into the chunks pushed (not copies).
 */
export class AttachFrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Decodes every frame completed by chunk; keeps the rest for the next call. Throws on a corrupt stream. */
  push(chunk: Uint8Array): AttachEvent[] {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let buf = this.buf.length === 0 ? input : Buffer.concat([this.buf, input]);
    const events: AttachEvent[] = [];
    while (buf.length >= FRAME_HEADER_BYTES) {
      const type = buf[0];
      const len = buf.readUInt32BE(1);
      if (len > MAX_FRAME_PAYLOAD) {
        throw new BerthError(`attach: frame of ${len} bytes from the container monitor (corrupt stream)`);
      }
      if (buf.length < FRAME_HEADER_BYTES + len) break;
      const payload = buf.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + len);
      buf = buf.subarray(FRAME_HEADER_BYTES + len);
      events.push(decodePayload(type, payload));
    }
    // A copy, so a small leftover does not pin a large chunk.
    this.buf = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return events;
  }

  /** Bytes of an unfinished frame held back: non-zero when the stream ends means it was cut short. */
  get pending(): number {
    return this.buf.length;
  }
}

function decodePayload(type: number, payload: Buffer): AttachEvent {
  switch (type) {
    case FrameType.stdout:
      return { kind: 'stdout', data: payload };
    case FrameType.stderr:
      return { kind: 'stderr', data: payload };
    case FrameType.ready:
      return { kind: 'ready' };
    case FrameType.exit: {
      const text = payload.toString('latin1');
      if (!/^\d{1,3}$/.test(text) || Number(text) > 255) {
        throw new BerthError(`attach: invalid exit code from the container monitor: ${text.slice(0, 20)}`);
      }
      return { kind: 'exit', exitCode: Number(text) };
    }
    default:
      return { kind: 'unknown', type };
  }
}

function checkSize(height: number, width: number): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  if (!ok(height) || !ok(width)) throw new BerthError(`resize terminal: invalid size ${height}x${width}`);
}

/** Control fifo: resize the container's terminal. */
export function ctlResizeMessage(height: number, width: number): string {
  checkSize(height, width);
  return `1 ${height} ${width}\n`;
}

/** Control fifo: reopen the log file (after moving it away). */
export const CTL_REOPEN_LOG = '2\n';

export interface LogRecord {
  /** The timestamp as written (RFC 3339 with nanoseconds and a zone offset). */
  time: string;
  /** Nanoseconds since the Unix epoch. */
  nanos: bigint;
  stream: 'stdout' | 'stderr';
  /** True for a P record: the line continues in the next record. */
  partial: boolean;
  content: string;
}

const TIME_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch for an RFC 3339 time with up to nine fractional digits. */
export function parseRfc3339Nano(time: string): bigint {
  const m = TIME_RE.exec(time);
  if (m === null) throw new BerthError(`log: invalid timestamp ${time}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new BerthError(`log: invalid timestamp ${time}`);
  const frac = (m[2] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

/** One k8s-file line (without its newline): `<time> <stdout|stderr> <F|P> <content>`. */
export function parseLogLine(line: string): LogRecord {
  const s1 = line.indexOf(' ');
  const s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
  const s3 = s2 < 0 ? -1 : line.indexOf(' ', s2 + 1);
  if (s3 < 0) throw new BerthError(`log: malformed line: ${line.slice(0, 100)}`);
  const time = line.slice(0, s1);
  const stream = line.slice(s1 + 1, s2);
  const tag = line.slice(s2 + 1, s3);
  if ((stream !== 'stdout' && stream !== 'stderr') || (tag !== 'F' && tag !== 'P')) {
    throw new BerthError(`log: malformed line: ${line.slice(0, 100)}`);
  }
  return { time, nanos: parseRfc3339Nano(time), stream, partial: tag === 'P', content: line.slice(s3 + 1) };
}

/**
 * All records of a log file's text. A last line without its newline is a record still being written
 * and is left out; so are lines that do not parse (a truncated file can start mid-record).
 */
export function parseLogFile(text: string): LogRecord[] {
  const lines = text.split('\n');
  lines.pop();
  const records: LogRecord[] = [];
  for (const line of lines) {
    try {
      records.push(parseLogLine(line));
    } catch {
      // A torn record from truncation; the rest of the file is still good.
    }
  }
  return records;
}

export interface LogLine {
  /** The time of the line's first record. */
  time: string;
  nanos: bigint;
  stream: 'stdout' | 'stderr';
  /** The text as the container wrote it, with its newline when it had one. */
  text: string;
}

/**
 * Joins P records with what follows them on the same stream, giving the container's output line by
 * line as `logs` prints it. A trailing partial line (the container has not finished it) comes out as
 * it is, without a newline.
 */
export function joinLogRecords(records: LogRecord[]): LogLine[] {
  const out: LogLine[] = [];
  const open: Partial<Record<'stdout' | 'stderr', LogLine>> = {};
  for (const r of records) {
    const current = open[r.stream];
    if (current === undefined) {
      const line: LogLine = { time: r.time, nanos: r.nanos, stream: r.stream, text: r.content };
      out.push(line);
      if (r.partial) open[r.stream] = line;
      else line.text += '\n';
    } else {
      current.text += r.content;
      if (!r.partial) {
        current.text += '\n';
        delete open[r.stream];
      }
    }
  }
  return out;
}

/** The exit file's content: a decimal exit code (128+N for a death by signal N). */
export function parseExitFile(text: string): number {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t) || Number(t) > 255)
    throw new BerthError(`exit file: invalid exit code: ${t.slice(0, 20)}`);
  return Number(t);
}

/** For an exit code above 128, the signal that ended the container, as the monitor encoded it. */
export function exitSignal(code: number): number | undefined {
  return code > 128 && code < 128 + 65 ? code - 128 : undefined;
}
