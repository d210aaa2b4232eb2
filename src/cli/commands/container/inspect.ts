import type { CommandDef } from '../../command.js';
import { formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'inspect',
  group: 'container',
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Display detailed information on one or more containers',
  minArgs: 1,
  options: {
    format: formatFlag,
  },
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer, reconcile }, { inspectContainer }, { printInspect }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/list.js'),
        import('../../output/inspect.js'),
      ]);
    const e = await containerEngine(ctx);
    return printInspect(
      ctx,
      args.positionals,
      async (t) => {
        const [rec] = await reconcile(e, [await requireContainer(e, t)]);
        return inspectContainer(e, rec);
      },
      args.str('format'),
    );
  },
};
