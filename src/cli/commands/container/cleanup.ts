import type { CommandDef } from '../../command.js';

/** The monitor's exit command: records the exit, unmounts, applies --rm and --restart. */
export const command: CommandDef = {
  name: 'cleanup',
  group: 'container',
  usage: 'CONTAINER',
  describe: 'Clean up after a container exits (run by the container monitor)',
  hidden: true,
  minArgs: 1,
  maxArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine }, { cleanupContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/lifecycle.js'),
    ]);
    const e = await containerEngine(ctx);
    const rec = await e.containers.find(args.positionals[0]);
    if (!rec) return 0;
    await cleanupContainer(e, rec.id, { fromMonitor: true });
    return 0;
  },
};
