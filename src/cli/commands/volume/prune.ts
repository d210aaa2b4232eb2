import type { CommandDef } from '../../command.js';
import { filterFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'prune',
  group: 'volume',
  usage: '',
  describe: 'Remove unused local volumes',
  maxArgs: 0,
  options: {
    all: { type: 'boolean', short: 'a', describe: 'Remove all unused volumes, not just anonymous ones' },
    force: { type: 'boolean', short: 'f', describe: 'Do not prompt for confirmation' },
    filter: filterFlag,
  },
  async run(args, ctx) {
    const [{ pruneVolumes }, { engineContext }, { confirm }, units] = await Promise.all([
      import('../../../engine/volumes.js'),
      import('../../../engine/context.js'),
      import('../../prompt.js'),
      import('../../output/units.js'),
    ]);
    if (!args.bool('force')) {
      const what = args.bool('all') ? 'all local volumes' : 'anonymous local volumes';
      const q = `WARNING! This will remove ${what} not used by at least one container.\nAre you sure you want to continue? [y/N] `;
      if (!(await confirm(ctx, q))) return 0;
    }
    const r = await pruneVolumes(engineContext(ctx.global), {
      all: args.bool('all'),
      filters: args.strs('filter'),
    });
    if (r.deleted.length) {
      ctx.stdout.write('Deleted Volumes:\n');
      for (const d of r.deleted) ctx.stdout.write(`${d}\n`);
      ctx.stdout.write('\n');
    }
    ctx.stdout.write(`Total reclaimed space: ${units.humanSize(r.reclaimed)}\n`);
    for (const e of r.errors) ctx.stderr.write(`Error: ${e.message}\n`);
    return r.errors.length ? 125 : 0;
  },
};
