import type { CommandDef } from '../../command.js';
import { filterFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'prune',
  group: 'image',
  usage: '',
  describe: 'Remove unused images',
  maxArgs: 0,
  options: {
    all: { type: 'boolean', short: 'a', describe: 'Remove all unused images, not just dangling ones' },
    force: { type: 'boolean', short: 'f', describe: 'Do not prompt for confirmation' },
    filter: filterFlag,
  },
  async run(args, ctx) {
    const [{ pruneImages }, { engineContext }, { confirm }, units] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
      import('../../prompt.js'),
      import('../../output/units.js'),
    ]);
    if (!args.bool('force')) {
      const what = args.bool('all')
        ? 'all images without at least one container associated to them'
        : 'all dangling images';
      if (
        !(await confirm(ctx, `WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `))
      )
        return 0;
    }
    const r = await pruneImages(engineContext(ctx.global), {
      all: args.bool('all'),
      filters: args.strs('filter'),
    });
    if (r.untagged.length || r.deleted.length) {
      ctx.stdout.write('Deleted Images:\n');
      for (const u of r.untagged) ctx.stdout.write(`untagged: ${u}\n`);
      for (const d of r.deleted) ctx.stdout.write(`deleted: ${d}\n`);
      ctx.stdout.write('\n');
    }
    ctx.stdout.write(`Total reclaimed space: ${units.humanSize(r.reclaimed)}\n`);
    return 0;
  },
};
