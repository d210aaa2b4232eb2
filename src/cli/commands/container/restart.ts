import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'restart',
  group: 'container',
  topLevel: ['restart'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Restart one or more containers',
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
    const [{ containerEngine, forEachTarget }, { requireContainer }, { stopContainer, startContainer }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/lifecycle.js'),
      ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      const rec = await requireContainer(e, t);
      await stopContainer(e, rec, args.num('time'));
      await startContainer(e, await requireContainer(e, rec.id), { detached: true });
      return t;
    });
  },
};
