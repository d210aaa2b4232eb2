import type { CommandDef } from '../../command.js';
import { createFlags } from '../../run-flags.js';

export const command: CommandDef = {
  name: 'create',
  group: 'container',
  topLevel: ['create'],
  usage: 'IMAGE [COMMAND] [ARG...]',
  describe: 'Create a new container',
  stopAtFirstPositional: true,
  minArgs: 1,
  options: { ...createFlags, quiet: { type: 'boolean', short: 'q', describe: 'Suppress the pull output' } },
  async run(args, ctx) {
    const [{ createOptionsFrom }, { containerEngine }, { createContainer }, { pullProgress }] =
      await Promise.all([
        import('../../run-flags.js'),
        import('../../containers.js'),
        import('../../../engine/containers/create.js'),
        import('../../output/progress.js'),
      ]);
    const [image, ...cmd] = args.positionals;
    const opts = await createOptionsFrom(args, image, cmd);
    const e = await containerEngine(ctx);
    const rec = await createContainer(e, {
      ...opts,
      progress: args.bool('quiet') ? undefined : pullProgress(ctx.stderr),
    });
    ctx.stdout.write(`${rec.id}\n`);
    return 0;
  },
};
