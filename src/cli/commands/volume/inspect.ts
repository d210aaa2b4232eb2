import type { CommandDef } from '../../command.js';
import { formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'inspect',
  group: 'volume',
  usage: 'VOLUME [VOLUME...]',
  describe: 'Display detailed information on one or more volumes',
  minArgs: 1,
  options: { format: formatFlag },
  async run(args, ctx) {
    const [{ inspectVolume }, { engineContext }, { printInspect }] = await Promise.all([
      import('../../../engine/volumes.js'),
      import('../../../engine/context.js'),
      import('../../output/inspect.js'),
    ]);
    const ectx = engineContext(ctx.global);
    return printInspect(ctx, args.positionals, (name) => inspectVolume(ectx, name), args.str('format'));
  },
};
