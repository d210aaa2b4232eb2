import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { BerthError, ExitCode } from '../util/errors.js';
import type { EngineContext } from './context.js';

/**
 * Runs a command inside berth's namespace. The launcher has already put this process there,
 * so the child inherits it; we add the store paths to the environment as Podman does.
 */
export async function unshare(ctx: EngineContext, command: string[]): Promise<number> {
  if (!ctx.identity.rootless) {
    throw new BerthError('please use unshare with rootless', {
      hint: 'as root there is no berth user namespace to enter',
    });
  }
  const argv = command.length ? command : [process.env.SHELL || '/bin/sh'];
  const child = spawn(argv[0], argv.slice(1), {
    stdio: 'inherit',
    env: {
      ...process.env,
      CONTAINERS_GRAPHROOT: ctx.paths.root,
      CONTAINERS_RUNROOT: ctx.paths.runRoot,
      BERTH_STORE: ctx.paths.root,
    },
  });
  // Signals for the command reach it directly from the terminal; don't die of them ourselves.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  return new Promise((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT')
        reject(new BerthError(`${argv[0]}: command not found`, { exitCode: ExitCode.NotFound }));
      else if (e.code === 'EACCES')
        reject(new BerthError(`${argv[0]}: permission denied`, { exitCode: ExitCode.CannotInvoke }));
      else reject(new BerthError(`running ${argv[0]}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', ignore);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
