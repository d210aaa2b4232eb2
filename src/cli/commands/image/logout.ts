import type { CommandDef } from '../../command.js';
import { authfileFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'logout',
  topLevel: ['logout'],
  usage: '[REGISTRY]',
  describe: 'Log out of a container registry',
  maxArgs: 1,
  options: {
    all: { type: 'boolean', short: 'a', describe: 'Remove the credentials for all registries' },
    authfile: authfileFlag,
  },
  async run(args, ctx) {
    const [{ logout }, { engineContext }] = await Promise.all([
      import('../../../engine/login.js'),
      import('../../../engine/context.js'),
    ]);
    const msg = await logout(engineContext(ctx.global), {
      registry: args.positionals[0],
      all: args.bool('all'),
      authfile: args.str('authfile'),
    });
    ctx.stdout.write(`${msg}\n`);
    return 0;
  },
};
