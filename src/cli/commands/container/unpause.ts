import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'unpause',
  group: 'container',
  topLevel: ['unpause'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Unpause all processes within one or more containers',
  minArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer }, { pauseContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/pause.js'),
    ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      await pauseContainer(e, await requireContainer(e, t), false);
      return t;
    });
  },
};
