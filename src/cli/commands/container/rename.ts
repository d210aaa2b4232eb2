import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'rename',
  group: 'container',
  topLevel: ['rename'],
  usage: 'CONTAINER NEW_NAME',
  describe: 'Rename a container',
  minArgs: 2,
  maxArgs: 2,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }, { renameContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/rename.js'),
    ]);
    const [target, newName] = args.positionals;
    const e = await containerEngine(ctx);
    await renameContainer(e, await requireContainer(e, target), newName);
    return 0;
  },
};
