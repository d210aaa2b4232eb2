import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'stop',
  group: 'container',
  topLevel: ['stop'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Stop one or more running containers',
  minArgs: 1,
  options: {
    time: {
      type: 'number',
      short: 't',
      describe: 'Seconds to wait before killing the container',
      valueName: 'int',
    },
  },
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer }, { stopContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/lifecycle.js'),
    ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      await stopContainer(e, await requireContainer(e, t), args.num('time'));
      return t;
    });
  },
};
