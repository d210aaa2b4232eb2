import type { CommandDef } from '../../command.js';
import { filterFlag, formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'ls',
  group: 'container',
  groupAliases: ['list', 'ps'],
  topLevel: ['ps'],
  usage: '',
  describe: 'List containers',
  maxArgs: 0,
  options: {
    all: { type: 'boolean', short: 'a', describe: 'Show all containers (default shows just running)' },
    quiet: { type: 'boolean', short: 'q', describe: 'Only display container IDs' },
    latest: {
      type: 'boolean',
      short: 'l',
      describe: 'Show the latest created container (includes all states)',
    },
    last: {
      type: 'number',
      short: 'n',
      describe: 'Show n last created containers (includes all states)',
      valueName: 'int',
      default: -1,
    },
    'no-trunc': { type: 'boolean', describe: "Don't truncate output" },
    size: { type: 'boolean', short: 's', describe: 'Display total file sizes', hidden: true },
    filter: filterFlag,
    format: formatFlag,
  },
  async run(args, ctx) {
    const [
      { containerEngine },
      { listContainers, dockerStatus },
      { formatOutput },
      units,
      { BerthError },
      { portsColumn },
    ] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/list.js'),
      import('../../output/format.js'),
      import('../../output/units.js'),
      import('../../../util/errors.js'),
      import('../../../engine/containers/network.js'),
    ]);
    if (args.bool('size')) throw new BerthError('--size is not supported yet');
    const e = await containerEngine(ctx);
    const recs = await listContainers(e, {
      all: args.bool('all'),
      latest: args.bool('latest'),
      last: args.num('last'),
      filters: args.strs('filter'),
    });
    const noTrunc = args.bool('no-trunc');
    const now = new Date();
    const quoteArg = (a: string) => (/[\s'"]/.test(a) || a === '' ? `'${a.replace(/'/g, "'\\''")}'` : a);
    const rows = recs.map((r) => {
      const cmd = r.config.processArgs.map(quoteArg).join(' ');
      const shown = noTrunc || cmd.length <= 20 ? cmd : `${cmd.slice(0, 19)}…`;
      return {
        ID: noTrunc ? r.id : units.shortId(r.id),
        Image: r.imageRef,
        Command: JSON.stringify(shown),
        // Computed only when a format asks for it (zone names are slow to look up).
        CreatedAt: () => units.goTimeString(new Date(Math.floor(Date.parse(r.created) / 1000) * 1000)),
        RunningFor: units.formatSince(r.created, now),
        Ports: portsColumn(r),
        State: dockerStatus(r),
        Status: units.containerStatus({
          state: dockerStatus(r),
          startedAt: r.state.startedAt,
          finishedAt: r.state.finishedAt,
          exitCode: r.state.exitCode,
          now,
        }),
        Size: '',
        Names: r.name,
        Labels: Object.entries(r.config.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        Mounts: '',
        Networks: '',
      };
    });
    ctx.stdout.write(
      formatOutput({
        format: args.str('format'),
        rows,
        defaultTableFormat:
          'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
        headers: { ID: 'CONTAINER ID', RunningFor: 'CREATED', CreatedAt: 'CREATED AT' },
        quiet: args.bool('quiet'),
      }),
    );
    return 0;
  },
};
