import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:os';
import { berthBinary, startMonitor } from '../../runtime/monitor.js';
import { isMounted } from '../../storage/mount.js';
import { BerthError } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import { trace } from '../../util/trace.js';
import {
  type Container,
  type ContainerEngine,
  finishExited,
  mountContainerRootfs,
  markExited,
  monitorAlive,
  noSuchContainer,
  readExit,
  reconcile,
} from './common.js';
import { prepareNetwork, startNetwork, stopNetwork } from './network.js';
import { type ContainerConfig, shouldRestart } from './config.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
  /** The monitor starts the container itself; false when the CLI attaches first. */
  detached: boolean;
  /**
   * Set by a restart policy: start only if the record still shows that restart (this count,
   * exited, not stopped by the user since), so a stop or rm in between wins.
   */
  restartCount?: number;
}

/** The monitor's exit command: a new berth process that records the exit and cleans up. */
function exitCommandArgs(e: ContainerEngine, id: string): string[] {
  const args = ['--root', e.ctx.paths.root, '--runroot', e.ctx.paths.runRoot];
  if (e.ctx.storageDriver) args.push('--storage-driver', e.ctx.storageDriver);
  return [...args, 'container', 'cleanup', id];
}

async function ensureMounted(e: ContainerEngine, rec: Container): Promise<void> {
  const p = e.containers.paths(rec.id);
  if (rec.driver !== 'vfs' && (await isMounted(p.rootfs))) return;
  await mountContainerRootfs(e, rec);
}

/**
 * Starts a created or exited container under a new monitor. Detached starts let the monitor
 * run the runtime's start and clean up through the exit command; attached ones leave both to
 * the CLI, which attaches first and cleans up in-process (no second Node process).
 */
export async function startContainer(
  e: ContainerEngine,
  rec: Container,
  opts: StartOptions,
): Promise<Container> {
  const lock = await e.containers.lock(rec.id);
  try {
    // Never fall back to the caller's copy: a removed container must not be mounted again.
    const fresh = await e.containers.read<ContainerConfig>(rec.id);
    if (!fresh) throw noSuchContainer(rec.name);
    if (
      fresh.state.status === 'running' ||
      fresh.state.status === 'stopping' ||
      fresh.state.status === 'paused'
    ) {
      return fresh;
    }
    if (
      opts.restartCount !== undefined &&
      (fresh.state.stoppedByUser ||
        fresh.state.status !== 'exited' ||
        fresh.state.restartCount !== opts.restartCount)
    ) {
      return fresh;
    }
    if (fresh.state.status === 'removing') throw new BerthError(`container ${fresh.name} is being removed`);
    const p = e.containers.paths(rec.id);
    await ensureMounted(e, fresh);
    await rm(p.exitFile, { force: true });
    await rm(join(p.persist, 'exit'), { force: true });
    await rm(join(p.persist, 'oom'), { force: true });
    // A container that ran before may still be known to the runtime; a new one is not.
    if (fresh.state.startedAt) await e.runtime.delete(rec.id, true).catch(() => undefined);
    trace('start: mounted, runtime state cleared');
    const needsExitCommand = opts.detached || fresh.config.restartPolicy.name !== 'no';
    // The network comes up between the runtime's create and start: a stack means we start it.
    const net = await prepareNetwork(e, fresh);
    const startHere = opts.detached && !!fresh.config.network.stack;
    let pid: number;
    try {
      ({ pid } = await startMonitor(
        {
          cid: rec.id,
          bundle: p.bundle,
          runtime: e.runtime.path,
          runtimeRoot: e.runtime.root,
          logPath: p.log,
          exitDir: join(e.ctx.paths.runRoot, 'exits'),
          persistDir: p.persist,
          terminal: fresh.config.tty,
          stdin: fresh.config.interactive,
          start: opts.detached && !startHere,
          ...(needsExitCommand
            ? { exitCommand: berthBinary(), exitCommandArgs: exitCommandArgs(e, rec.id) }
            : {}),
        },
        { inheritFds: net.monitorFds },
      ));
      trace('start: monitor reported');
      try {
        await startNetwork(e, fresh, pid, net);
        if (startHere) await e.runtime.start(rec.id);
      } catch (err) {
        // No half-started container: the runtime holds it created; take it down again.
        await e.runtime.delete(rec.id, true).catch(() => undefined);
        await stopNetwork(e, fresh).catch(() => undefined);
        throw err;
      }
    } finally {
      net.close();
    }
    const monitorPid =
      Number(await readFile(join(p.persist, 'monitor.pid'), 'utf8').catch(() => '0')) || undefined;
    fresh.state = {
      ...fresh.state,
      status: 'running',
      pid,
      exitCode: 0,
      oomKilled: false,
      startedAt: new Date().toISOString(),
      finishedAt: undefined,
      monitorPid,
      stoppedByUser: false,
      error: undefined,
    };
    await e.containers.write(fresh);
    return fresh;
  } catch (err) {
    const failed = await e.containers.read<ContainerConfig>(rec.id);
    if (failed && failed.state.status !== 'running') {
      failed.state.error = (err as Error).message;
      await e.containers.write(failed).catch(() => undefined);
    }
    throw err;
  } finally {
    lock.release();
  }
}

/** Waits until the monitor has recorded the exit (or the monitor is gone). */
export async function waitForExit(
  e: ContainerEngine,
  id: string,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const exit = await readExit(e, id);
    if (exit) return exit.code;
    const rec = await e.containers.read<ContainerConfig>(id);
    if (!rec) return undefined;
    if (rec.state.status === 'exited' || rec.state.status === 'created') return rec.state.exitCode;
    if (!monitorAlive(rec.state.monitorPid)) {
      const again = await readExit(e, id);
      return again?.code;
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

/**
 * Records a container's exit and cleans up after it: what the monitor's exit command runs,
 * and what the attached CLI does itself. Applies --rm and restart policies.
 */
export async function cleanupContainer(
  e: ContainerEngine,
  id: string,
  opts: { fromMonitor: boolean },
): Promise<'removed' | 'restarted' | 'kept' | 'gone'> {
  const lock = await e.containers.lock(id);
  let restart: Container | undefined;
  try {
    const rec = await e.containers.read<ContainerConfig>(id);
    if (!rec || rec.state.status === 'removing') return 'gone';
    if (rec.state.status === 'running' || rec.state.status === 'stopping' || rec.state.status === 'paused') {
      const exit = await readExit(e, id);
      // A live monitor with no exit recorded is a newer run (restart, start): an exit command
      // arriving late from the previous run must leave it alone. The calling monitor itself is no
      // longer a berth-monitor: it has exec'd this command.
      if (!exit && monitorAlive(rec.state.monitorPid)) return 'kept';
      markExited(rec, exit);
    }
    if (rec.state.status !== 'exited') return 'kept';
    if (opts.fromMonitor && shouldRestart(rec.config.restartPolicy, rec.state)) {
      rec.state.restartCount += 1;
      await e.containers.write(rec);
      restart = rec;
    } else {
      return await finishExited(e, rec);
    }
  } finally {
    lock.release();
  }
  await e.runtime.delete(id, true).catch(() => undefined);
  debug(
    `restarting ${id} (policy ${restart.config.restartPolicy.name}, restart ${restart.state.restartCount})`,
  );
  await startContainer(e, restart, { detached: true, restartCount: restart.state.restartCount });
  return 'restarted';
}

/** The signal number or name as the runtime takes it. */
export function normalizeSignal(sig: string): string {
  const s = sig.trim().toUpperCase();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n < 1 || n > 64) throw new BerthError(`invalid signal: ${sig}`);
    return s;
  }
  const name = s.startsWith('SIG') ? s : `SIG${s}`;
  if (!(name in constants.signals) && !/^SIGRTM(IN|AX)([+-]\d+)?$/.test(name))
    throw new BerthError(`invalid signal: ${sig}`);
  return name;
}

export async function killContainer(e: ContainerEngine, rec: Container, signal: string): Promise<void> {
  const sig = normalizeSignal(signal);
  const [fresh] = await reconcile(e, [rec]);
  if (fresh.state.status !== 'running' && fresh.state.status !== 'paused') {
    throw new BerthError(
      `can only kill running containers. ${rec.id.slice(0, 12)} is in state ${fresh.state.status}`,
      {
        code: 'conflict',
      },
    );
  }
  if (sig === 'SIGKILL' || sig === '9' || sig === 'SIGTERM' || sig === '15') {
    fresh.state.stoppedByUser = true;
    await e.containers.write(fresh);
  }
  await e.runtime.kill(rec.id, sig);
}

/** Records a user's stop under the lock, where a restart decision reads it. */
async function markStopped(
  e: ContainerEngine,
  id: string,
): Promise<{ rec: Container; wasPaused: boolean } | undefined> {
  const lock = await e.containers.lock(id);
  try {
    const rec = await e.containers.read<ContainerConfig>(id);
    if (!rec) return undefined;
    const wasPaused = rec.state.status === 'paused';
    rec.state.stoppedByUser = true;
    if (rec.state.status === 'running' || wasPaused) rec.state.status = 'stopping';
    await e.containers.write(rec);
    return { rec, wasPaused };
  } finally {
    lock.release();
  }
}

/** Docker's stop: the stop signal, then SIGKILL after the timeout; waits for the exit. */
export async function stopContainer(e: ContainerEngine, rec: Container, timeoutSec?: number): Promise<void> {
  const [seen] = await reconcile(e, [rec]);
  const live = (r: Container) =>
    r.state.status === 'running' || r.state.status === 'paused' || r.state.status === 'stopping';
  // An exited container with a restart policy may have an exit command on its way that is about
  // to restart it: the stop must still be recorded, so that it does not.
  if (!live(seen) && seen.config.restartPolicy.name === 'no') return;
  const marked = await markStopped(e, rec.id);
  if (!marked || !live(marked.rec)) return;
  const { rec: fresh, wasPaused } = marked;
  const timeout = timeoutSec ?? fresh.config.stopTimeout;
  if (wasPaused) await e.runtime.resume(rec.id).catch(() => undefined);
  if (timeout > 0) await e.runtime.kill(rec.id, fresh.config.stopSignal).catch(() => false);
  const code = await waitForExit(e, rec.id, timeout * 1000);
  if (code === undefined) {
    // Not --all: without a cgroup of its own (rootless on cgroup v1) runc cannot list the
    // container's processes; killing pid 1 of a pid namespace takes the rest with it.
    await e.runtime.kill(rec.id, 'SIGKILL').catch(() => false);
    await waitForExit(e, rec.id, 10_000);
  }
  // Record it now; the exit command may still be on its way and will find nothing to do.
  await cleanupContainer(e, rec.id, { fromMonitor: false });
}
