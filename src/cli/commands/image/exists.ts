import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'exists',
  group: 'image',
  usage: 'IMAGE',
  describe: 'Check if an image exists in local storage (exit 0 if it does, 1 if not)',
  minArgs: 1,
  maxArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ imageExists }, { engineContext }] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
    ]);
    return (await imageExists(engineContext(ctx.global), args.positionals[0])) ? 0 : 1;
  },
};
