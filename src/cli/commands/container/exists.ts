import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'exists',
  group: 'container',
  usage: 'CONTAINER',
  describe: 'Check if a container exists in local storage (exit 0 if it does, 1 if not)',
  minArgs: 1,
  maxArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
    ]);
    const e = await containerEngine(ctx);
    try {
      await requireContainer(e, args.positionals[0]);
      return 0;
    } catch (err) {
      // Only "not there" is an answer; anything else (an ambiguous prefix) is an error.
      if ((err as { code?: string }).code === 'not-found') return 1;
      throw err;
    }
  },
};
