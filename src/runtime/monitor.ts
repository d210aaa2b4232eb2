import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import {
  type MonitorOptions,
  monitorArgv,
  parseSyncMessage,
  runtimeErrorText,
  type SyncMessage,
} from './monitor-protocol.js';

/** dist/berth-monitor beside the bundle (dist/berth.js or dist/chunks/*.js). */
export function monitorBinary(): string {
  if (process.env.BERTH_MONITOR) return process.env.BERTH_MONITOR;
  let dir = dirname(fileURLToPath(import.meta.url));
  if (dir.endsWith('/chunks')) dir = dirname(dir);
  return join(dir, 'berth-monitor');
}

/** bin/berth beside dist/: the program the monitor runs as its exit command. */
export function berthBinary(): string {
  if (process.env.BERTH_BIN) return process.env.BERTH_BIN;
  let dir = dirname(fileURLToPath(import.meta.url));
  if (dir.endsWith('/chunks')) dir = dirname(dir);
  return join(dirname(dir), 'bin', 'berth');
}

/**
 * Starts a detached monitor for a container and waits for its one-line report: the
 * container's pid once the runtime created it, or the runtime's error.
 */
export async function startMonitor(
  opts: MonitorOptions,
  extra: { inheritFds?: number[] } = {},
): Promise<{ pid: number }> {
  const argv = monitorArgv({ ...opts, syncFd: 3 });
  debug(`berth-monitor ${argv.join(' ')}`);
  // Extra fds (from 4 on) stay open in the monitor for its whole life (it marks them
  // close-on-exec, so the runtime and the exit command never see them): a network stack
  // watching the other end of such a pipe ends when the monitor does.
  const stdio = ['ignore', 'ignore', 'pipe', 'pipe', ...(extra.inheritFds ?? [])] as const;
  const child = spawn(monitorBinary(), argv, { stdio: [...stdio], detached: true });
  const sync = child.stdio[3] as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const text = await new Promise<string>((resolve, reject) => {
    sync.on('data', (c: Buffer) => chunks.push(c));
    sync.on('end', () => resolve(Buffer.concat(chunks).toString()));
    sync.on('error', reject);
    child.on('error', (e) => reject(new BerthError(`starting the container monitor: ${e.message}`)));
  });
  child.unref();
  let msg: SyncMessage;
  try {
    msg = parseSyncMessage(text);
  } catch (e) {
    if (stderr.trim()) throw new BerthError(`container monitor: ${stderr.trim()}`);
    throw e;
  }
  if ('error' in msg) throw runtimeFailure(msg.error);
  return { pid: msg.pid };
}

/** Docker's codes for a command that cannot run: 127 not found, 126 not executable. */
export function runtimeFailure(error: string): BerthError {
  const text = runtimeErrorText(error);
  if (/executable file not found|no such file or directory/i.test(text)) {
    return new BerthError(`${text}: OCI runtime attempted to invoke a command that was not found`, {
      exitCode: 127,
    });
  }
  if (/permission denied|is a directory|exec format error/i.test(text)) {
    return new BerthError(`${text}: OCI permission denied`, { exitCode: 126 });
  }
  return new BerthError(`OCI runtime error: ${text}`);
}
