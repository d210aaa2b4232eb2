import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'kill',
  group: 'container',
  topLevel: ['kill'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Kill one or more running containers',
  minArgs: 1,
  options: {
    signal: {
      type: 'string',
      short: 's',
      describe: 'Signal to send to the container',
      valueName: 'string',
      default: 'KILL',
    },
  },
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer }, { killContainer, normalizeSignal }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/lifecycle.js'),
      ]);
    const signal = args.str('signal') ?? 'KILL';
    normalizeSignal(signal);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      await killContainer(e, await requireContainer(e, t), signal);
      return t;
    });
  },
};
