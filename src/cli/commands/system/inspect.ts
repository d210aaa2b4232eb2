import type { CommandDef } from '../../command.js';
import { formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'inspect',
  topLevel: ['inspect'],
  usage: 'NAME|ID [NAME|ID...]',
  describe: 'Return low-level information on berth objects',
  minArgs: 1,
  options: {
    format: formatFlag,
    type: { type: 'string', describe: 'Only inspect objects of the given type', valueName: 'string', choices: ['image'] },
  },
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
