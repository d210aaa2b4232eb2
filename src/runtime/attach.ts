import { closeSync, constants as fsConstants, openSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { BerthError, errorMessage } from '../util/errors.js';
import {
  AttachFrameDecoder,
  ctlResizeMessage,
  encodeClientFrame,
  FrameType,
  resizeFrame,
} from './monitor-protocol.js';

/**
 * The CLI end of a container's attach socket (see native/monitor/attach.h): output demuxed to the
 * caller's streams, stdin forwarded as frames, detach keys, terminal size, and the exit code.
 */

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** Docker's control-key names; the index is the byte (ctrl-@ is 0, ctrl-a 1, ..., ctrl-_ 31). */
const CTRL_NAMES = [
  'ctrl-@',
  ...Array.from({ length: 26 }, (_, i) => `ctrl-${String.fromCharCode(97 + i)}`),
  'ctrl-[',
  'ctrl-\\',
  'ctrl-]',
  'ctrl-^',
  'ctrl-_',
];

/**
 * Docker's `--detach-keys` format: comma-separated `ctrl-<a-z @ [ \ ] ^ _>` names or single
 * characters. An empty spec disables detaching (no keys).
 */
export function parseDetachKeys(spec: string): number[] {
  if (spec === '') return [];
  const keys: number[] = [];
  for (const key of spec.split(',')) {
    const ctrl = CTRL_NAMES.indexOf(key);
    if (ctrl >= 0) keys.push(ctrl);
    else if (key.length === 1 && key.charCodeAt(0) < 128) keys.push(key.charCodeAt(0));
    else {
      throw new BerthError(`invalid detach keys "${spec}": unknown key "${key}"`, {
        hint: 'use comma-separated ctrl-<a-z, @, [, \\, ], ^, _> names or single characters, e.g. ctrl-p,ctrl-q',
      });
    }
  }
  return keys;
}

/**
 * Watches input for the detach sequence. Bytes that may start the sequence are held back until it is
 * clear whether they do; the sequence itself is never forwarded.
 */
export class DetachKeyMatcher {
  private held: number[] = [];

  constructor(private readonly keys: readonly number[]) {}

  /** What to forward from chunk, and whether the sequence completed (input after it is dropped). */
  feed(chunk: Uint8Array): { forward: Buffer; detached: boolean } {
    if (this.keys.length === 0) return { forward: Buffer.from(chunk), detached: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.step(byte, out)) return { forward: Buffer.from(out), detached: true };
    }
    return { forward: Buffer.from(out), detached: false };
  }

  /** The held-back bytes, when input ends before the sequence could complete. */
  flush(): Buffer {
    const rest = Buffer.from(this.held);
    this.held = [];
    return rest;
  }

  private step(byte: number, out: number[]): boolean {
    let pending = [...this.held, byte];
    this.held = [];
    // On a mismatch the first held byte is plain input; the rest may still begin the sequence.
    while (pending.length > 0) {
      if (pending.every((b, i) => b === this.keys[i])) {
        if (pending.length === this.keys.length) return true;
        this.held = pending;
        return false;
      }
      out.push(pending[0]);
      pending = pending.slice(1);
    }
    return false;
  }
}

export interface AttachStdin extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(raw: boolean): void;
}

export interface AttachOptions {
  /** The monitor's attach socket (any length: long paths go through /proc/self/fd). */
  socketPath: string;
  /** Forwarded to the container when given; leave out for an output-only attach. */
  stdin?: AttachStdin;
  stdout: Writable;
  stderr: Writable;
  /** The container has a terminal: raw mode for a terminal stdin, size sent at start and on SIGWINCH. */
  tty: boolean;
  /** Docker's format; default ctrl-p,ctrl-q; '' disables. Watched when typing (tty or a terminal stdin). */
  detachKeys?: string;
  /** Send the end of stdin to the container (type 1 frame) when stdin ends. */
  closeStdinOnEof: boolean;
  /** The monitor's ctl fifo: when given, resizes go there instead of the socket. */
  ctlPath?: string;
}

export type AttachResult = { kind: 'exited'; exitCode: number } | { kind: 'detached' } | { kind: 'closed' };

export interface AttachSession {
  /** Resolves when the container exits, the user detaches, or the connection ends; rejects when it cannot connect. */
  done: Promise<AttachResult>;
  /**
   * Resolves once the monitor has registered this client, so all output from then on reaches it
   * (start a created container only after this), or when the session ended first. Never rejects.
   */
  ready: Promise<void>;
  /** Detaches (the container keeps running and its stdin stays open). */
  close(): void;
}

/** Longest path connect(2) takes in sun_path (108 bytes with the terminating NUL). */
const SUN_PATH_MAX = 107;

export function attach(opts: AttachOptions): AttachSession {
  const keys = parseDetachKeys(opts.detachKeys ?? DEFAULT_DETACH_KEYS);
  const stdin = opts.stdin;
  const watchKeys = stdin !== undefined && keys.length > 0 && (opts.tty || stdin.isTTY === true);
  const matcher = new DetachKeyMatcher(watchKeys ? keys : []);
  const decoder = new AttachFrameDecoder();
  const rawMode = opts.tty && stdin?.isTTY === true && typeof stdin.setRawMode === 'function';

  let resolveDone!: (r: AttachResult) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<AttachResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  let finished = false;
  let connected = false;
  let exitCode: number | undefined;
  const cleanups: (() => void)[] = [];

  const { socket, release } = connectAttachSocket(opts.socketPath);

  const finish = (result: AttachResult | Error, how: 'end' | 'destroy' = 'destroy'): void => {
    if (finished) return;
    finished = true;
    for (const undo of cleanups.splice(0).reverse()) {
      try {
        undo();
      } catch {
        // Restoring one thing must not stop the others.
      }
    }
    release();
    resolveReady();
    // 'end' lets stdin frames already queued reach the monitor before the connection goes.
    if (how === 'end' && connected && !socket.destroyed) {
      socket.end(() => socket.destroy());
      // Queued input the container is not reading must not keep this process alive.
      setTimeout(() => socket.destroy(), 1000).unref();
    } else {
      socket.destroy();
    }
    if (result instanceof Error) rejectDone(result);
    else resolveDone(result);
  };

  if (rawMode) {
    stdin.setRawMode?.(true);
    const restore = () => stdin.setRawMode?.(false);
    cleanups.push(restore);
    // The caller may exit the process without awaiting done; the user's terminal must not stay raw.
    process.on('exit', restore);
    cleanups.push(() => process.off('exit', restore));
  }

  const sendResize = (): void => {
    const size = terminalSize(opts.stdout);
    if (size === undefined || finished) return;
    if (opts.ctlPath !== undefined) writeCtl(opts.ctlPath, ctlResizeMessage(size.rows, size.columns));
    else if (connected) socket.write(resizeFrame(size.rows, size.columns));
  };

  socket.on('connect', () => {
    connected = true;
    release();
    if (finished) return;
    if (opts.tty) {
      sendResize();
      process.on('SIGWINCH', sendResize);
      cleanups.push(() => process.off('SIGWINCH', sendResize));
    }
    if (stdin !== undefined) forwardStdin(stdin);
  });

  socket.on('data', (chunk: Buffer) => {
    if (finished) return;
    let events: ReturnType<AttachFrameDecoder['push']>;
    try {
      events = decoder.push(chunk);
    } catch (e) {
      finish(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    for (const ev of events) {
      if (ev.kind === 'stdout' || ev.kind === 'stderr') {
        const target = ev.kind === 'stdout' ? opts.stdout : opts.stderr;
        if (!target.write(ev.data) && !socket.isPaused()) {
          // Let the monitor's socket fill up rather than buffering a fast container's output here.
          socket.pause();
          target.once('drain', () => socket.resume());
        }
      } else if (ev.kind === 'exit') {
        exitCode = ev.exitCode;
      } else if (ev.kind === 'ready') {
        resolveReady();
      }
    }
    if (exitCode !== undefined) finish({ kind: 'exited', exitCode });
  });

  socket.on('error', (e: NodeJS.ErrnoException) => {
    if (connected) finish({ kind: 'closed' });
    else
      finish(
        new BerthError(`attach to container: connect to ${opts.socketPath}: ${e.code ?? errorMessage(e)}`, {
          hint: e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'is the container running?' : undefined,
          cause: e,
        }),
      );
  });
  socket.on('close', () => finish({ kind: 'closed' }));

  function forwardStdin(input: AttachStdin): void {
    const onData = (chunk: Buffer | string): void => {
      const { forward, detached } = matcher.feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (forward.length > 0 && !socket.write(encodeClientFrame(FrameType.stdin, forward))) {
        input.pause();
        socket.once('drain', () => {
          if (!finished) input.resume();
        });
      }
      if (detached) finish({ kind: 'detached' }, 'end');
    };
    const onEnd = (): void => {
      const rest = matcher.flush();
      if (rest.length > 0) socket.write(encodeClientFrame(FrameType.stdin, rest));
      if (opts.closeStdinOnEof) socket.write(encodeClientFrame(FrameType.stdinEof));
    };
    // An unreadable stdin ends the input we forward, not the session (the container keeps its stdin).
    const onError = (): void => {
      input.off('data', onData);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    cleanups.push(() => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      // A flowing process.stdin keeps the event loop alive.
      input.pause();
    });
    input.resume();
  }

  return { done, ready, close: () => finish({ kind: 'detached' }, 'end') };
}

/**
 * connect(2) takes at most 107 bytes of path, and Node silently cuts longer ones; for those, the
 * socket is reached through an open fd of its directory, as the monitor binds it.
 */
function connectAttachSocket(path: string): { socket: Socket; release: () => void } {
  if (Buffer.byteLength(path) <= SUN_PATH_MAX) return { socket: connect({ path }), release: () => {} };
  let fd: number;
  try {
    fd = openSync(dirname(path), fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  } catch (e) {
    throw new BerthError(`attach to container: open ${dirname(path)}: ${errorMessage(e)}`, { cause: e });
  }
  const short = `/proc/self/fd/${fd}/${basename(path)}`;
  if (Buffer.byteLength(short) > SUN_PATH_MAX) {
    closeSync(fd);
    throw new BerthError(`attach to container: socket name too long: ${basename(path)}`);
  }
  let open = true;
  const release = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return { socket: connect({ path: short }), release };
}

function terminalSize(out: Writable): { rows: number; columns: number } | undefined {
  const t = out as Writable & { isTTY?: boolean; rows?: number; columns?: number };
  if (t.isTTY !== true || !t.rows || !t.columns) return undefined;
  return { rows: t.rows, columns: t.columns };
}

/** One small write (atomic on a fifo); a monitor that is gone (ENXIO) just means nothing to resize. */
function writeCtl(path: string, message: string): void {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
  } catch {
    return;
  }
  try {
    writeSync(fd, message);
  } catch {
    // A full fifo: a later resize will carry the size.
  } finally {
    closeSync(fd);
  }
}
