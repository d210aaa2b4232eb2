import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { attach, type AttachStdin } from '../../runtime/attach.js';
import { BerthError, errorMessage } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import { trace } from '../../util/trace.js';
import { type Container, type ContainerEngine, finishExited } from './common.js';
import { type CreateOptions, createContainer } from './create.js';
import { cleanupContainer, startContainer, waitForExit } from './lifecycle.js';

export interface AttachStreams {
  stdin?: AttachStdin;
  stdout: Writable;
  stderr: Writable;
  detachKeys?: string;
  /** Forward the CLI's signals to the container (not with a tty, where keys go through it). */
  sigProxy: boolean;
}

export type RunResult = { id: string; kind: 'exited'; exitCode: number } | { id: string; kind: 'detached' };

const proxied: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Attaches to a container whose monitor holds it created, starts it, and waits: the
 * foreground half of `run` and `start -a`. Cleans up in this process when it ends.
 */
export async function attachAndStart(
  e: ContainerEngine,
  rec: Container,
  io: AttachStreams,
  start: boolean,
): Promise<RunResult> {
  const p = e.containers.paths(rec.id);
  const session = attach({
    socketPath: join(p.persist, 'attach'),
    stdin: rec.config.interactive ? io.stdin : undefined,
    stdout: io.stdout,
    stderr: io.stderr,
    tty: rec.config.tty,
    detachKeys: io.detachKeys,
    closeStdinOnEof: true,
    ctlPath: join(p.persist, 'ctl'),
  });
  const handlers: [NodeJS.Signals, () => void][] = [];
  try {
    await session.ready;
    trace('run: attached');
    if (start) await e.runtime.start(rec.id);
    trace('run: started');
    if (io.sigProxy && !rec.config.tty) {
      for (const sig of proxied) {
        const h = () => {
          e.runtime.kill(rec.id, sig).catch((err) => debug(`forwarding ${sig}: ${err}`));
        };
        process.on(sig, h);
        handlers.push([sig, h]);
      }
    }
    const result = await session.done;
    trace('run: container exited');
    if (result.kind === 'detached') return { id: rec.id, kind: 'detached' };
    const code = result.kind === 'exited' ? result.exitCode : await waitForExit(e, rec.id);
    await cleanupContainer(e, rec.id, { fromMonitor: false });
    trace('run: cleaned up');
    return { id: rec.id, kind: 'exited', exitCode: code ?? 125 };
  } catch (err) {
    session.close();
    await cleanupContainer(e, rec.id, { fromMonitor: false }).catch(() => undefined);
    throw err;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

export async function runContainer(
  e: ContainerEngine,
  opts: CreateOptions & { detach: boolean; io: AttachStreams },
): Promise<RunResult> {
  const rec = await createContainer(e, opts);
  if (opts.detach) {
    try {
      await startContainer(e, rec, { detached: true });
    } catch (err) {
      await cleanupAfterFailedStart(e, rec, err);
    }
    return { id: rec.id, kind: 'detached' };
  }
  let started: Container;
  try {
    started = await startContainer(e, rec, { detached: false });
  } catch (err) {
    await cleanupAfterFailedStart(e, rec, err);
    throw err;
  }
  return attachAndStart(e, started, opts.io, true);
}

/**
 * A run that could not start leaves nothing behind with --rm; otherwise, as in Docker, the
 * container stays Created (with the error and exit code), its network down and rootfs unmounted.
 */
async function cleanupAfterFailedStart(e: ContainerEngine, rec: Container, err: unknown): Promise<never> {
  const lock = await e.containers.lock(rec.id);
  try {
    const fresh = await e.containers.read<Container['config']>(rec.id);
    if (fresh && fresh.state.status !== 'running') {
      fresh.state.status = 'created';
      fresh.state.pid = 0;
      fresh.state.monitorPid = undefined;
      fresh.state.exitCode = err instanceof BerthError ? err.exitCode : 125;
      fresh.state.error = errorMessage(err);
      await finishExited(e, fresh).catch((e2) => debug(`cleanup after a failed start: ${errorMessage(e2)}`));
    }
  } finally {
    lock.release();
  }
  throw err;
}
