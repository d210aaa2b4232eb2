import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'unshare',
  topLevel: ['unshare'],
  usage: '[COMMAND [ARG...]]',
  describe: "Run a command in berth's user and mount namespace (rootless), to inspect the store",
  stopAtFirstPositional: true,
  options: {},
  async run(args, ctx) {
    const [{ unshare }, { engineContext }] = await Promise.all([
      import('../../../engine/unshare.js'),
      import('../../../engine/context.js'),
    ]);
    return unshare(engineContext(ctx.global), args.positionals);
  },
};
