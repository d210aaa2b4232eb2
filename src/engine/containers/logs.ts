import { watch, type FSWatcher } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { type LogLine, type LogRecord, parseLogLine } from '../../runtime/monitor-protocol.js';
import { BerthError } from '../../util/errors.js';
import { type Container, type ContainerEngine, monitorAlive, readExit } from './common.js';
import type { ContainerConfig } from './config.js';

/**
 * `logs`: the monitor's k8s-file log read back as the container wrote it. The pure parts
 * (time specs, selection, joining records as they stream in) are apart from the file reading.
 */

export interface LogsOptions {
  follow: boolean;
  /** Last N lines; undefined for all. */
  tail?: number;
  /** Nanoseconds since the epoch, inclusive bounds. */
  since?: bigint;
  until?: bigint;
  timestamps: boolean;
  stdout: Writable;
  stderr: Writable;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION_RE = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/** Go's time.ParseDuration, in nanoseconds; undefined when `s` is not a duration. */
export function parseGoDuration(s: string): bigint | undefined {
  if (!DURATION_RE.test(s)) return undefined;
  const negative = s.startsWith('-');
  let total = 0;
  for (const m of s.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
  }
  const n = BigInt(Math.round(total));
  return negative ? -n : n;
}

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/;

/**
 * Docker's `--since`/`--until` values (timetypes.GetTimestamp): a Go duration back from `now`
 * (`10m`, `1h30m`), an RFC 3339 time or a prefix of one (`2024-01-02`, `2024-01-02T15:04`; local
 * time without a zone), or Unix seconds with an optional fraction. Nanoseconds since the epoch.
 */
export function parseTimeSpec(value: string, now: Date = new Date()): bigint {
  const d = value === '0' ? undefined : parseGoDuration(value);
  if (d !== undefined) return BigInt(now.getTime()) * 1_000_000n - d;
  const m = TIME_RE.exec(value);
  if (m) {
    const [y, mo, day, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
    const zone = m[8];
    let ms: number;
    if (zone === undefined) ms = new Date(y, mo - 1, day, h, mi, s).getTime();
    else {
      ms = Date.UTC(y, mo - 1, day, h, mi, s);
      if (zone !== 'Z' && zone !== 'z') {
        const sign = zone.startsWith('-') ? -1 : 1;
        ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
      }
    }
    if (Number.isNaN(ms) || mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) {
      throw new BerthError(`invalid time "${value}": not a valid date and time`);
    }
    return BigInt(ms) * 1_000_000n + BigInt((m[7] ?? '').padEnd(9, '0'));
  }
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix) return BigInt(unix[1]) * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'));
  throw new BerthError(`invalid time "${value}": failed to parse value as time or duration`, {
    hint: 'use a duration such as 10m, an RFC 3339 time such as 2024-01-02T15:04:05Z, or Unix seconds',
  });
}

/** `--tail`: `all` (or a negative number) means every line. */
export function parseTail(value: string | undefined): number | undefined {
  if (value === undefined || value === 'all' || value === '') return undefined;
  if (!/^-?\d+$/.test(value))
    throw new BerthError(`invalid --tail value "${value}": want a number of lines or "all"`);
  const n = Number(value);
  return n < 0 ? undefined : n;
}

/** Docker's order: the last N lines first, then the time bounds over those. */
export function selectLogLines(
  lines: LogLine[],
  opts: { tail?: number; since?: bigint; until?: bigint },
): LogLine[] {
  let out = opts.tail === undefined ? lines : opts.tail === 0 ? [] : lines.slice(-opts.tail);
  if (opts.since !== undefined || opts.until !== undefined) {
    out = out.filter(
      (l) =>
        (opts.since === undefined || l.nanos >= opts.since) &&
        (opts.until === undefined || l.nanos <= opts.until),
    );
  }
  return out;
}

/** Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped), as `logs -t` prints it. */
export function formatLogTime(nanos: bigint): string {
  const secs = nanos / 1_000_000_000n;
  const frac = (nanos % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const iso = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  return `${iso}${frac ? `.${frac}` : ''}Z`;
}

/**
 * Joins P records with the rest of their line as records stream in; a line is handed out once
 * it is complete, so following a log never prints half a line twice.
 */
export class LogJoiner {
  private open: Partial<Record<'stdout' | 'stderr', LogLine>> = {};

  push(r: LogRecord): LogLine | undefined {
    const current = this.open[r.stream];
    const line = current ?? { time: r.time, nanos: r.nanos, stream: r.stream, text: '' };
    line.text += r.content;
    if (r.partial) {
      this.open[r.stream] = line;
      return undefined;
    }
    line.text += '\n';
    delete this.open[r.stream];
    return line;
  }

  /** Lines still unfinished, in the order they began (the container ended mid-line). */
  flush(): LogLine[] {
    const rest = Object.values(this.open).sort((a, b) =>
      a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0,
    );
    this.open = {};
    return rest;
  }
}

/** Splits bytes into complete lines, keeping an unfinished last line for the next chunk. */
export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      lines.push(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    this.rest = Buffer.from(buf.subarray(start));
    return lines;
  }

  reset(): void {
    this.rest = Buffer.alloc(0);
  }
}

function records(lines: string[]): LogRecord[] {
  const out: LogRecord[] = [];
  for (const l of lines) {
    try {
      out.push(parseLogLine(l));
    } catch {
      // A torn record at the start of a rotated file; the rest is good.
    }
  }
  return out;
}

/** Writes with backpressure; a closed reader (`logs -f | head`) ends the output quietly. */
function write(out: Writable, text: string): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return Promise.resolve(false);
  if (out.write(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

/**
 * Reads the log file from an offset; notices when the monitor rotated it (a new file renamed
 * over the old one) and carries on in the new one after draining the old.
 */
class LogReader {
  private fh?: FileHandle;
  private ino = 0;
  private offset = 0;
  readonly splitter = new LineSplitter();

  constructor(private readonly path: string) {}

  private async reopen(): Promise<boolean> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    try {
      this.fh = await open(this.path, 'r');
    } catch {
      return false;
    }
    this.ino = (await this.fh.stat()).ino;
    this.offset = 0;
    this.splitter.reset();
    return true;
  }

  /** Complete lines written since the last call. */
  async read(): Promise<string[]> {
    if (!this.fh && !(await this.reopen())) return [];
    const lines = await this.drain();
    const now = await stat(this.path).catch(() => undefined);
    if (now && now.ino !== this.ino) {
      if (await this.reopen()) lines.push(...(await this.drain()));
    }
    return lines;
  }

  private async drain(): Promise<string[]> {
    const fh = this.fh;
    if (!fh) return [];
    const lines: string[] = [];
    const buf = Buffer.allocUnsafe(256 << 10);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      lines.push(...this.splitter.push(Buffer.from(buf.subarray(0, bytesRead))));
    }
    return lines;
  }

  async close(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }
}

/** Has the container stopped for good (so a follower has nothing more to wait for)? */
async function hasEnded(e: ContainerEngine, id: string): Promise<boolean> {
  if (await readExit(e, id)) return true;
  const rec = await e.containers.read<ContainerConfig>(id);
  if (!rec) return true;
  const st = rec.state.status;
  if (st !== 'running' && st !== 'paused' && st !== 'stopping') return true;
  return !monitorAlive(rec.state.monitorPid);
}

/** Prints a container's log; with `follow`, keeps printing until the container has exited. */
export async function containerLogs(e: ContainerEngine, rec: Container, opts: LogsOptions): Promise<void> {
  const reader = new LogReader(e.containers.paths(rec.id).log);
  const joiner = new LogJoiner();
  let closed = false;
  const emit = async (l: LogLine): Promise<void> => {
    const out = l.stream === 'stdout' ? opts.stdout : opts.stderr;
    if (!(await write(out, opts.timestamps ? `${formatLogTime(l.nanos)} ${l.text}` : l.text))) closed = true;
  };
  // EPIPE arrives as an 'error' event; without a listener it would end the process with a trace.
  const onError = () => {
    closed = true;
  };
  opts.stdout.on('error', onError);
  opts.stderr.on('error', onError);
  let watcher: FSWatcher | undefined;
  try {
    const first: LogLine[] = [];
    for (const r of records(await reader.read())) {
      const l = joiner.push(r);
      if (l) first.push(l);
    }
    if (!opts.follow) first.push(...joiner.flush());
    for (const l of selectLogLines(first, opts)) {
      if (closed) return;
      await emit(l);
    }
    if (!opts.follow) return;
    if (opts.until !== undefined && first.some((l) => l.nanos > (opts.until ?? 0n))) return;

    let wake: (() => void) | undefined;
    try {
      watcher = watch(e.containers.paths(rec.id).userdata, () => wake?.());
      watcher.on('error', () => undefined);
    } catch {
      // Polling alone still works.
    }
    let ended = false;
    for (;;) {
      const lines = await reader.read();
      for (const r of records(lines)) {
        const l = joiner.push(r);
        if (!l) continue;
        if (opts.until !== undefined && l.nanos > opts.until) return;
        if (opts.since === undefined || l.nanos >= opts.since) await emit(l);
      }
      if (closed) return;
      if (lines.length > 0) continue;
      // Ended is checked before the last read, so output written just before the exit is kept.
      if (ended) break;
      ended = await hasEnded(e, rec.id);
      if (ended) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 250);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
    for (const l of joiner.flush()) await emit(l);
  } finally {
    opts.stdout.off('error', onError);
    opts.stderr.off('error', onError);
    watcher?.close();
    await reader.close();
  }
}
