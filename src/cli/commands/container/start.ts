import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'start',
  group: 'container',
  topLevel: ['start'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Start one or more stopped containers',
  minArgs: 1,
  options: {
    attach: { type: 'boolean', short: 'a', describe: 'Attach STDOUT/STDERR and forward signals' },
    interactive: { type: 'boolean', short: 'i', describe: "Attach container's STDIN" },
    'detach-keys': {
      type: 'string',
      describe: 'Override the key sequence for detaching a container',
      valueName: 'string',
    },
    'sig-proxy': { type: 'boolean', describe: 'Proxy received signals to the process', default: true },
  },
  async run(args, ctx) {
    const [
      { containerEngine, forEachTarget },
      { requireContainer, reconcile },
      { startContainer },
      { attachAndStart },
      { BerthError },
    ] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/lifecycle.js'),
      import('../../../engine/containers/run.js'),
      import('../../../util/errors.js'),
    ]);
    const e = await containerEngine(ctx);
    const attaching = args.bool('attach') || args.bool('interactive');
    if (attaching) {
      if (args.positionals.length > 1)
        throw new BerthError('you cannot start and attach multiple containers at once');
      const [rec] = await reconcile(e, [await requireContainer(e, args.positionals[0])]);
      if (rec.state.status === 'running')
        throw new BerthError(`container ${rec.name} is already running`, { hint: 'use berth attach' });
      const started = await startContainer(e, rec, { detached: false });
      const r = await attachAndStart(
        e,
        started,
        {
          stdin: args.bool('interactive') ? process.stdin : undefined,
          stdout: ctx.stdout,
          stderr: ctx.stderr,
          detachKeys: args.str('detach-keys'),
          sigProxy: args.options['sig-proxy'] !== false,
        },
        true,
      );
      return r.kind === 'exited' ? r.exitCode : 0;
    }
    return forEachTarget(ctx, args.positionals, async (t) => {
      const [rec] = await reconcile(e, [await requireContainer(e, t)]);
      await startContainer(e, rec, { detached: true });
      return t;
    });
  },
};
