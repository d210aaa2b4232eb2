import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'mount',
  group: 'container',
  topLevel: ['mount'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: "Mount a container's root filesystem and print its path (use it inside `berth unshare`)",
  minArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer }, { mountContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/mount.js'),
    ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => mountContainer(e, await requireContainer(e, t)));
  },
};
