import type { CommandDef } from '../../command.js';
import { formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'inspect',
  group: 'image',
  usage: 'IMAGE [IMAGE...]',
  describe: 'Display detailed information on one or more images',
  minArgs: 1,
  options: { format: formatFlag },
  async run(args, ctx) {
    const [{ inspectImage }, { engineContext }, { printInspect }] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
      import('../../output/inspect.js'),
    ]);
    const ectx = engineContext(ctx.global);
    return printInspect(ctx, args.positionals, (name) => inspectImage(ectx, name), args.str('format'));
  },
};
