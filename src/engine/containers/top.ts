import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { BerthError, errorMessage } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';

/**
 * `top`: the host's `ps` output cut down to the container's processes, as Docker does it: run
 * `ps` with the user's options (default `-ef`), find the PID column, keep the container's rows.
 */

export interface TopReport {
  titles: string[];
  processes: string[][];
}

/**
 * Pure: ps output filtered to `pids`. The last column (the command) may hold spaces, so a row
 * is split into as many fields as there are titles, the rest joined into the last.
 */
export function parsePsOutput(output: string, pids: ReadonlySet<number>): TopReport {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new BerthError('top: ps printed nothing');
  const titles = lines[0].trim().split(/\s+/);
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0)
    throw new BerthError(`top: couldn't find PID field in ps output`, {
      hint: 'include the pid column, e.g. -o pid,comm',
    });
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const pid = Number(fields[pidIndex]);
    if (!Number.isInteger(pid) || !pids.has(pid)) continue;
    const row = fields.slice(0, titles.length - 1);
    row.push(fields.slice(titles.length - 1).join(' '));
    processes.push(row);
  }
  return { titles, processes };
}

/** Pure: a process and every process below it, from a child -> parent map. */
export function descendants(root: number, parentOf: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Pure: the parent pid from /proc/PID/stat (the command name in parentheses may hold anything). */
export function parseStatPpid(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const ppid = Number(stat.slice(close + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/**
 * The container's processes by walking /proc: for when the runtime cannot list them (rootless
 * on cgroup v1 the container has no cgroup of its own). Exec'd processes are not children of
 * the container's init, so they are found only when they share its pid namespace: anything in
 * that namespace belongs to the container.
 */
async function procPids(initPid: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  const ns = await readLinkSafe(`/proc/${initPid}/ns/pid`);
  // With the host's pid namespace (--pid host) the namespace says nothing about the container.
  const initNs = ns === (await readLinkSafe('/proc/self/ns/pid')) ? undefined : ns;
  const inNs: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    const ppid = stat === undefined ? undefined : parseStatPpid(stat);
    if (ppid !== undefined) parentOf.set(pid, ppid);
    if (initNs !== undefined && pid !== initPid && (await readLinkSafe(`/proc/${name}/ns/pid`)) === initNs)
      inNs.push(pid);
  }
  if (!parentOf.has(initPid)) return [];
  return [...new Set([...descendants(initPid, parentOf), ...inNs])].sort((a, b) => a - b);
}

function readLinkSafe(path: string): Promise<string | undefined> {
  return readlink(path).catch(() => undefined);
}

function runPs(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ps', args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new BerthError(`top: ps ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** The container's processes as `ps` shows them; `psArgs` as the user gave them after the name. */
export async function containerTop(
  e: ContainerEngine,
  container: Container,
  psArgs: string[],
): Promise<TopReport> {
  const [rec] = await reconcile(e, [container]);
  if (
    !rec ||
    (rec.state.status !== 'running' && rec.state.status !== 'paused' && rec.state.status !== 'stopping')
  ) {
    throw new BerthError(`container ${container.name} is not running`, { code: 'conflict' });
  }
  let pids: number[];
  try {
    pids = await e.runtime.pids(rec.id);
  } catch (err) {
    debug(`top: ${errorMessage(err)}; walking /proc instead`);
    pids = await procPids(rec.state.pid);
  }
  if (pids.length === 0) throw new BerthError(`container ${rec.name} has no processes`);
  const args = psArgs.length > 0 ? psArgs.flatMap((a) => a.split(/\s+/)).filter((a) => a !== '') : ['-ef'];
  return parsePsOutput(await runPs(args), new Set(pids));
}
