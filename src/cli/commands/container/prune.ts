import type { CommandDef } from '../../command.js';
import { filterFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'prune',
  group: 'container',
  usage: '',
  describe: 'Remove all stopped containers',
  maxArgs: 0,
  options: {
    force: { type: 'boolean', short: 'f', describe: 'Do not prompt for confirmation' },
    filter: {
      ...filterFlag,
      describe: 'Provide filter values (e.g. "until=<timestamp>", "label=<key>=<value>")',
    },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { pruneContainers, pruneFilter }, { confirm }, { humanSize }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/prune.js'),
        import('../../prompt.js'),
        import('../../output/units.js'),
      ]);
    const filters = args.strs('filter');
    pruneFilter(filters); // bad filters fail before the question
    if (!args.bool('force')) {
      const q =
        'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ';
      if (!(await confirm(ctx, q))) return 0;
    }
    const e = await containerEngine(ctx);
    const r = await pruneContainers(e, { filters });
    if (r.deleted.length) {
      ctx.stdout.write('Deleted Containers:\n');
      for (const id of r.deleted) ctx.stdout.write(`${id}\n`);
      ctx.stdout.write('\n');
    }
    ctx.stdout.write(`Total reclaimed space: ${humanSize(r.reclaimed)}\n`);
    for (const f of r.errors)
      ctx.stderr.write(`Error: removing container ${f.id.slice(0, 12)}: ${f.error}\n`);
    return r.errors.length ? 125 : 0;
  },
};
