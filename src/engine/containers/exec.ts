import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { join, posix } from 'node:path';
import type { Writable } from 'node:stream';
import { runtimeFailure } from '../../runtime/monitor.js';
import { runtimeErrorText } from '../../runtime/monitor-protocol.js';
import { DEFAULT_PATH, hasEnv, mergeEnv } from '../../spec/env.js';
import type { OciProcess } from '../../spec/oci.js';
import { type ResolvedUser, resolveUser } from '../../spec/user.js';
import { BerthError } from '../../util/errors.js';
import { resolveInScope } from './scope.js';
import { debug } from '../../util/log.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';

/**
 * `exec`: a new process in a running container, run by the OCI runtime in the foreground with
 * the caller's stdio (the runtime deals with the terminal). Kept lean: exec's start-up cost is
 * part of what users feel on every call.
 */

export interface ExecOptions {
  /** The command and its arguments. */
  cmd: string[];
  /** `-e` values already expanded (`K=V`). */
  env: string[];
  workdir?: string;
  user?: string;
  tty: boolean;
  interactive: boolean;
  detach: boolean;
  /** Where the runtime's own messages go when they are not an error berth reports. */
  stderr: Writable;
}

/**
 * Pure: the exec process from the container's own: its env with the exec's on top, the exec's
 * args, terminal, and (when given) cwd and user. A new user's HOME comes from its passwd entry
 * unless the exec sets it.
 */
export function execProcess(
  base: OciProcess,
  opts: { args: string[]; env: string[]; tty: boolean; workdir?: string; user?: ResolvedUser },
): OciProcess {
  let env = mergeEnv(base.env ?? [], opts.env);
  if (opts.user && !hasEnv(opts.env, 'HOME')) env = mergeEnv(env, [`HOME=${opts.user.home || '/'}`]);
  if (opts.tty && !hasEnv(env, 'TERM')) env.push('TERM=xterm');
  const proc: OciProcess = { ...base, terminal: opts.tty, args: opts.args, env };
  if (opts.workdir)
    proc.cwd = opts.workdir.startsWith('/') ? opts.workdir : join(base.cwd || '/', opts.workdir);
  if (opts.user) {
    proc.user = { uid: opts.user.uid, gid: opts.user.gid };
    if (opts.user.additionalGids.length) proc.user.additionalGids = opts.user.additionalGids;
  }
  return proc;
}

const RUNTIME_LINE = 'time="';

/**
 * Separates the runtime's own log lines (`time="..." level=error msg="..."`) from the exec'd
 * process's stderr, which shares the pipe: the process's bytes pass straight through (a prompt
 * without a newline is not held back), the runtime's lines are kept for the exit code.
 */
export class RuntimeStderrFilter {
  /** At a line's start the first bytes are held until they cannot begin a runtime line. */
  private mode: 'start' | 'pass' | 'capture' = 'start';
  private held = '';
  readonly errors: string[] = [];

  /** What to pass on from chunk. */
  push(chunk: string): string {
    let out = '';
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf('\n', i);
      const end = nl < 0 ? chunk.length : nl + 1;
      const piece = chunk.slice(i, end);
      const lineDone = nl >= 0;
      i = end;
      if (this.mode === 'pass') {
        out += piece;
        if (lineDone) this.mode = 'start';
        continue;
      }
      this.held += piece;
      if (this.mode === 'start') {
        if (this.held.startsWith(RUNTIME_LINE)) this.mode = 'capture';
        else if (!lineDone && RUNTIME_LINE.startsWith(this.held)) continue;
        else {
          out += this.held;
          this.held = '';
          this.mode = lineDone ? 'start' : 'pass';
          continue;
        }
      }
      if (lineDone) {
        this.take(this.held);
        this.held = '';
        this.mode = 'start';
      }
    }
    return out;
  }

  /** Anything held when the stream ended. */
  end(): string {
    const rest = this.held;
    this.held = '';
    this.mode = 'start';
    if (rest.startsWith(RUNTIME_LINE)) {
      this.take(rest);
      return '';
    }
    return rest;
  }

  private take(line: string): void {
    const text = line.trimEnd();
    if (/level=(error|fatal)/.test(text)) this.errors.push(runtimeErrorText(text));
    else debug(`runtime: ${text}`);
  }
}

/** Reads a file of the container's rootfs without following a symlink out of it. */
async function readRootfsFile(rootfs: string, rel: string): Promise<string | undefined> {
  try {
    const path = join(rootfs, rel);
    const st = await lstat(path);
    if (!st.isFile() || st.size > 4 << 20) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

const forwarded: NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

/**
 * Runs a command in a running container; resolves to its exit code (0 once started with
 * `detach`). A command that cannot run fails with 126 or 127, as Docker's exec does.
 */
export async function execInContainer(
  e: ContainerEngine,
  container: Container,
  opts: ExecOptions,
): Promise<number> {
  if (opts.cmd.length === 0)
    throw new BerthError('exec: no command given', { hint: 'berth exec CONTAINER COMMAND [ARG...]' });
  const [rec] = await reconcile(e, [container]);
  if (!rec)
    throw new BerthError(`container ${container.name} is not running: can only exec into running containers`);
  if (rec.state.status === 'paused') {
    throw new BerthError(`container ${rec.name} is paused, unpause the container before exec`, {
      code: 'conflict',
    });
  }
  if (rec.state.status !== 'running') {
    throw new BerthError(`container ${rec.name} is not running: can only exec into running containers`, {
      code: 'conflict',
    });
  }
  const p = e.containers.paths(rec.id);
  const spec = JSON.parse(await readFile(join(p.bundle, 'config.json'), 'utf8')) as { process: OciProcess };
  const user =
    opts.user === undefined || opts.user === ''
      ? undefined
      : resolveUser(opts.user, {
          passwd: await readRootfsFile(p.rootfs, 'etc/passwd'),
          group: await readRootfsFile(p.rootfs, 'etc/group'),
        });
  // A detached terminal would need a console socket to hand the pty to; nobody reads it anyway.
  const tty = opts.tty && !opts.detach;
  const proc = execProcess(spec.process, { args: opts.cmd, env: opts.env, tty, workdir: opts.workdir, user });
  await lookPathInRoot(p.rootfs, proc);
  const base = join(p.persist, `exec-${randomBytes(6).toString('hex')}`);
  const processFile = `${base}.json`;
  await writeFile(processFile, JSON.stringify(proc), { mode: 0o600 });
  try {
    if (opts.detach) return await execDetached(e, rec.id, processFile, `${base}.log`);
    return await execForeground(e, rec.id, processFile, {
      tty,
      stdin: opts.interactive || tty,
      stderr: opts.stderr,
    });
  } finally {
    await rm(processFile, { force: true });
  }
}

/**
 * runc's exec.LookPath, done inside the container's root before any runtime runs: a missing
 * command is 127 and a non-executable one 126 with runc and crun alike (their own error texts
 * and exit codes differ).
 */
export async function lookPathInRoot(
  rootfs: string,
  proc: Pick<OciProcess, 'args' | 'env' | 'cwd'>,
): Promise<void> {
  const cmd = proc.args[0];
  const pathEnv = proc.env?.find((v) => v.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  const candidates = cmd.includes('/')
    ? [posix.resolve(proc.cwd || '/', cmd)]
    : pathEnv
        .split(':')
        .filter((d) => d !== '')
        .map((d) => posix.join(posix.resolve('/', d), cmd));
  let notExecutable: string | undefined;
  for (const candidate of candidates) {
    let hostPath: string;
    try {
      hostPath = join(rootfs, resolveInScope(rootfs, candidate));
    } catch {
      continue;
    }
    const st = await stat(hostPath).catch(() => undefined);
    if (!st) continue;
    if (st.isFile() && (st.mode & 0o111) !== 0) return;
    notExecutable ??= candidate;
  }
  if (notExecutable) {
    throw new BerthError(`exec: "${notExecutable}": permission denied: OCI permission denied`, {
      exitCode: 126,
    });
  }
  throw new BerthError(
    cmd.includes('/')
      ? `exec: "${cmd}": no such file or directory: OCI runtime attempted to invoke a command that was not found`
      : `exec: "${cmd}": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found`,
    { exitCode: 127 },
  );
}

/** Pure: the last error of runc's JSON log (`--log-format json`), if any. */
export function runtimeLogError(text: string): string | undefined {
  let last: string | undefined;
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if ((entry.level === 'error' || entry.level === 'fatal') && entry.msg) last = entry.msg;
    } catch {
      // not a log entry
    }
  }
  return last;
}

async function execDetached(
  e: ContainerEngine,
  id: string,
  processFile: string,
  logFile: string,
): Promise<number> {
  try {
    const child = e.runtime.spawnExec(id, processFile, { tty: false, detach: true, logFile });
    const code = await childExit(e, child);
    if (code[0] === 0) return 0;
    const error = runtimeLogError(await readFile(logFile, 'utf8').catch(() => ''));
    throw error
      ? runtimeFailure(error)
      : new BerthError(`exec: ${e.runtime.choice.name} exited with status ${code[0] ?? code[1]}`);
  } finally {
    await rm(logFile, { force: true });
  }
}

function childExit(e: ContainerEngine, child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve, reject) => {
    child.on('error', (err) =>
      reject(new BerthError(`exec: starting ${e.runtime.choice.name}: ${err.message}`)),
    );
    child.on('exit', (c, s) => resolve([c, s]));
  });
}

async function execForeground(
  e: ContainerEngine,
  id: string,
  processFile: string,
  opts: { tty: boolean; stdin: boolean; stderr: Writable },
): Promise<number> {
  const child = e.runtime.spawnExec(id, processFile, { tty: opts.tty, detach: false, stdin: opts.stdin });
  // The runtime proxies signals to the process; berth only has to outlive it to report the code.
  const handlers: [NodeJS.Signals, () => void][] = [];
  for (const sig of forwarded) {
    const h = () => {
      // A terminal's ^C reaches the runtime through the process group already.
      if (sig === 'SIGINT' && process.stdin.isTTY) return;
      child.kill(sig);
    };
    process.on(sig, h);
    handlers.push([sig, h]);
  }
  try {
    const filter = new RuntimeStderrFilter();
    const stderrDone = new Promise<void>((resolve) => {
      if (!child.stderr) return resolve();
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (c: string) => {
        const out = filter.push(c);
        if (out) opts.stderr.write(out);
      });
      child.stderr.on('close', resolve);
    });
    const [code, signal] = await childExit(e, child);
    // A background process the command left may hold the pipe open: do not wait for it long.
    await Promise.race([stderrDone, new Promise((r) => setTimeout(r, 200).unref())]);
    const rest = filter.end();
    if (rest) opts.stderr.write(rest);
    if (filter.errors.length > 0 && code !== 0) throw runtimeFailure(filter.errors[filter.errors.length - 1]);
    if (signal) return 128 + (signalNumber(signal) ?? 0);
    return code ?? 125;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

function signalNumber(sig: NodeJS.Signals): number | undefined {
  return (osConstants.signals as Record<string, number>)[sig];
}
