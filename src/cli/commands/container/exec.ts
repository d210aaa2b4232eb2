import type { CommandDef } from '../../command.js';
import { createFlags } from '../../run-flags.js';

export const command: CommandDef = {
  name: 'exec',
  group: 'container',
  topLevel: ['exec'],
  usage: 'CONTAINER COMMAND [ARG...]',
  describe: 'Execute a command in a running container',
  stopAtFirstPositional: true,
  minArgs: 2,
  options: {
    interactive: { type: 'boolean', short: 'i', describe: 'Keep STDIN open even if not attached' },
    tty: { type: 'boolean', short: 't', describe: 'Allocate a pseudo-TTY' },
    detach: { type: 'boolean', short: 'd', describe: 'Detached mode: run command in the background' },
    // The same flags as run's, so they read and parse alike.
    env: createFlags.env,
    'env-file': createFlags['env-file'],
    workdir: createFlags.workdir,
    user: createFlags.user,
  },
  async run(args, ctx) {
    const [
      { containerEngine },
      { requireContainer },
      { execInContainer },
      { expandEnvArgs, parseEnvFile },
      { BerthError },
    ] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/exec.js'),
      import('../../../spec/env.js'),
      import('../../../util/errors.js'),
    ]);
    const [target, ...cmd] = args.positionals;
    const tty = args.bool('tty');
    const detach = args.bool('detach');
    // The runtime runs the terminal in the foreground and needs the caller's to be one.
    if (tty && !detach && !process.stdin.isTTY) throw new BerthError('the input device is not a TTY');
    const lookup = (k: string) => process.env[k];
    const env: string[] = [];
    for (const f of args.strs('env-file')) {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(f, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new BerthError(
          `reading env file ${f}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`,
        );
      });
      env.push(...parseEnvFile(text, lookup, f));
    }
    env.push(...expandEnvArgs(args.strs('env'), lookup));
    const e = await containerEngine(ctx);
    const rec = await requireContainer(e, target);
    return execInContainer(e, rec, {
      cmd,
      env,
      workdir: args.str('workdir'),
      user: args.str('user'),
      tty,
      interactive: args.bool('interactive'),
      detach,
      stderr: ctx.stderr,
    });
  },
};
