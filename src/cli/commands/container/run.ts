import type { CommandDef } from '../../command.js';
import { createFlags } from '../../run-flags.js';

export const command: CommandDef = {
  name: 'run',
  group: 'container',
  topLevel: ['run'],
  usage: 'IMAGE [COMMAND] [ARG...]',
  describe: 'Run a command in a new container',
  stopAtFirstPositional: true,
  minArgs: 1,
  options: {
    ...createFlags,
    detach: { type: 'boolean', short: 'd', describe: 'Run container in background and print container ID' },
    'detach-keys': {
      type: 'string',
      describe: 'Override the key sequence for detaching a container',
      valueName: 'string',
    },
    'sig-proxy': { type: 'boolean', describe: 'Proxy received signals to the process', default: true },
    attach: { type: 'strings', short: 'a', describe: 'Attach to STDIN, STDOUT or STDERR', valueName: 'list' },
    quiet: { type: 'boolean', short: 'q', describe: 'Suppress the pull output' },
  },
  async run(args, ctx) {
    const [
      { createOptionsFrom },
      { containerEngine },
      { runContainer },
      { pullProgress },
      { attachStreams },
    ] = await Promise.all([
      import('../../run-flags.js'),
      import('../../containers.js'),
      import('../../../engine/containers/run.js'),
      import('../../output/progress.js'),
      import('../../attach-streams.js'),
    ]);
    const { trace } = await import('../../../util/trace.js');
    trace('run: modules loaded');
    const [image, ...cmd] = args.positionals;
    const opts = await createOptionsFrom(args, image, cmd);
    trace('run: options read');
    const detach = args.bool('detach');
    const io = attachStreams(args, ctx, detach);
    const e = await containerEngine(ctx);
    trace('run: engine open');
    const r = await runContainer(e, {
      ...opts,
      detach,
      io,
      progress: args.bool('quiet') ? undefined : pullProgress(ctx.stderr),
    });
    if (r.kind === 'detached') {
      if (detach) ctx.stdout.write(`${r.id}\n`);
      return 0;
    }
    return r.exitCode;
  },
};
