import type { CommandDef } from '../../command.js';
import { filterFlag, formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'ls',
  group: 'volume',
  groupAliases: ['list'],
  usage: '',
  describe: 'List volumes',
  maxArgs: 0,
  options: {
    quiet: { type: 'boolean', short: 'q', describe: 'Only display volume names' },
    filter: filterFlag,
    format: formatFlag,
  },
  async run(args, ctx) {
    const [{ listVolumes }, { engineContext }, { formatOutput }] = await Promise.all([
      import('../../../engine/volumes.js'),
      import('../../../engine/context.js'),
      import('../../output/format.js'),
    ]);
    const vols = await listVolumes(engineContext(ctx.global), { filters: args.strs('filter') });
    const rows = vols.map((v) => ({
      Name: v.record.name,
      Driver: v.record.driver,
      Scope: 'local',
      Mountpoint: v.mountpoint,
      Labels: Object.entries(v.record.labels)
        .map(([k, val]) => `${k}=${val}`)
        .join(','),
      Links: String(v.usedBy.length),
      Size: 'N/A',
      CreatedAt: v.record.createdAt,
      Anonymous: v.record.anonymous,
    }));
    ctx.stdout.write(
      formatOutput({
        format: args.str('format'),
        rows,
        defaultTableFormat: 'table {{.Driver}}\t{{.Name}}',
        headers: { Name: 'VOLUME NAME' },
        quiet: args.bool('quiet'),
        quietField: 'Name',
      }),
    );
    return 0;
  },
};
