import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'exists',
  group: 'volume',
  usage: 'VOLUME',
  describe: 'Check if a volume exists (exit 0 if it does, 1 if not)',
  minArgs: 1,
  maxArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ volumeExists }, { engineContext }] = await Promise.all([
      import('../../../engine/volumes.js'),
      import('../../../engine/context.js'),
    ]);
    return (await volumeExists(engineContext(ctx.global), args.positionals[0])) ? 0 : 1;
  },
};
