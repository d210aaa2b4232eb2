import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'tag',
  group: 'image',
  topLevel: ['tag'],
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  describe: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  minArgs: 2,
  maxArgs: 2,
  options: {},
  async run(args, ctx) {
    const [{ tagImage }, { engineContext }] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
    ]);
    await tagImage(engineContext(ctx.global), args.positionals[0], args.positionals[1]);
    return 0;
  },
};
