import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'unmount',
  group: 'container',
  groupAliases: ['umount'],
  topLevel: ['unmount', 'umount'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: "Unmount a container's root filesystem mounted with `berth mount`",
  minArgs: 1,
  options: {
    force: { type: 'boolean', short: 'f', describe: 'Drop every mount of the container, not just one' },
  },
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer }, { unmountContainer }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/mount.js'),
      ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      const rec = await requireContainer(e, t);
      await unmountContainer(e, rec, args.bool('force'));
      return rec.id;
    });
  },
};
