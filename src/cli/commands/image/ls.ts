import type { CommandDef } from '../../command.js';
import { filterFlag, formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'ls',
  group: 'image',
  groupAliases: ['list'],
  topLevel: ['images'],
  usage: '[REPOSITORY[:TAG]]',
  describe: 'List images',
  maxArgs: 1,
  options: {
    all: { type: 'boolean', short: 'a', describe: 'Show all images (default hides intermediate images)' },
    quiet: { type: 'boolean', short: 'q', describe: 'Only show image IDs' },
    digests: { type: 'boolean', describe: 'Show digests' },
    'no-trunc': { type: 'boolean', describe: "Don't truncate output" },
    filter: filterFlag,
    format: formatFlag,
  },
  async run(args, ctx) {
    const [{ listImages }, { engineContext }, { formatOutput }, units] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
      import('../../output/format.js'),
      import('../../output/units.js'),
    ]);
    const filters = args.strs('filter');
    if (args.positionals[0]) filters.push(`reference=${args.positionals[0]}`);
    const images = await listImages(engineContext(ctx.global), { all: args.bool('all'), filters });
    const noTrunc = args.bool('no-trunc');
    const now = new Date();
    const rows = images.map((i) => ({
      Containers: 'N/A',
      // Docker shows whole seconds (the API gives Unix seconds).
      CreatedAt: () => units.goTimeString(new Date(Math.floor(Date.parse(i.created) / 1000) * 1000)),
      CreatedSince: units.formatSince(i.created, now),
      Digest: i.digest ?? '<none>',
      ID: noTrunc ? `sha256:${i.id}` : units.shortId(i.id),
      Repository: i.repository ?? '<none>',
      SharedSize: 'N/A',
      Size: units.humanSize(i.size),
      Tag: i.tag ?? '<none>',
      UniqueSize: 'N/A',
      VirtualSize: units.humanSize(i.size),
      Labels: Object.entries(i.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    }));
    // -q lists each image once, as Docker does.
    const quietRows = args.bool('quiet')
      ? rows.filter((r, n) => rows.findIndex((x) => x.ID === r.ID) === n)
      : rows;
    const table = args.bool('digests')
      ? 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
      : 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
    ctx.stdout.write(
      formatOutput({
        format: args.str('format'),
        rows: quietRows,
        defaultTableFormat: table,
        headers: { ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT' },
        quiet: args.bool('quiet'),
      }),
    );
    return 0;
  },
};
