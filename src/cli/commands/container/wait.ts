import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'wait',
  group: 'container',
  topLevel: ['wait'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Block until one or more containers stop, then print their exit codes',
  minArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer, reconcile }, { waitForExit }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/lifecycle.js'),
      ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      const rec = await requireContainer(e, t);
      const [fresh] = await reconcile(e, [rec]);
      if (
        fresh.state.status !== 'running' &&
        fresh.state.status !== 'stopping' &&
        fresh.state.status !== 'paused'
      ) {
        return String(fresh.state.exitCode);
      }
      const code = await waitForExit(e, rec.id);
      return String(code ?? -1);
    });
  },
};
