import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processRunning } from '../sys/proc.js';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import type { ActivePort } from './ports.js';

/**
 * pasta (from the passt package): used only when selected with `--network pasta` and
 * installed. It copies the host's addresses into the namespace, forwards the published ports
 * itself, daemonizes, writes a pid file, and quits by itself when the namespace goes away.
 * Not on Debian 12 machines by default; berth says so instead of falling back silently.
 */

export const PASTA_PID_FILE = 'pasta.pid';

/** pasta's arguments for a namespace and its published ports. Pure. */
export function pastaArgv(pid: number, ports: ActivePort[], pidFile: string): string[] {
  const argv = ['--config-net', '--quiet', '--pid', pidFile];
  for (const proto of ['tcp', 'udp'] as const) {
    const flag = proto === 'tcp' ? '-t' : '-u';
    const mine = ports.filter((p) => p.protocol === proto);
    if (!mine.length) argv.push(flag, 'none');
    for (const p of mine) {
      const addr = p.hostIp && p.hostIp !== '0.0.0.0' ? `${p.hostIp}/` : '';
      argv.push(flag, `${addr}${p.hostPort}:${p.containerPort}`);
    }
  }
  // No automatic forwarding of the host's ports into the container, as Podman does.
  argv.push('-T', 'none', '-U', 'none', '--netns', `/proc/${pid}/ns/net`);
  return argv;
}

export async function startPasta(
  binary: string,
  pid: number,
  ports: ActivePort[],
  dir: string,
): Promise<void> {
  const argv = pastaArgv(pid, ports, join(dir, PASTA_PID_FILE));
  debug(`pasta ${argv.join(' ')}`);
  const child = spawn(binary, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) {
    // pasta also tells syslog, and says when it cannot: only its own complaint matters here.
    const why = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^Failed to send \d+ bytes to syslog/.test(l))
      .join('; ');
    throw new BerthError(`setting up the network (pasta): ${why || `exit code ${code}`}`, {
      hint: /Couldn't open (network|user) namespace/.test(why)
        ? 'this pasta cannot join a namespace it did not create (Debian 12 ships a 2023 pasta); use the default slirp4netns'
        : undefined,
    });
  }
}

function isPasta(pid: number): boolean {
  try {
    return processRunning(pid) && /^pasta/.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  } catch {
    return false;
  }
}

export async function stopPasta(dir: string): Promise<void> {
  const pid = Number((await readFile(join(dir, PASTA_PID_FILE), 'utf8').catch(() => '0')).trim());
  if (pid > 0 && isPasta(pid)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  await rm(join(dir, PASTA_PID_FILE), { force: true });
}
