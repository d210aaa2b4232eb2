import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'logs',
  group: 'container',
  topLevel: ['logs'],
  usage: 'CONTAINER',
  describe: 'Fetch the logs of a container',
  minArgs: 1,
  maxArgs: 1,
  options: {
    follow: { type: 'boolean', short: 'f', describe: 'Follow log output' },
    tail: {
      type: 'string',
      short: 'n',
      describe: 'Number of lines to show from the end of the logs',
      valueName: 'string',
      default: 'all',
    },
    since: {
      type: 'string',
      describe:
        'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)',
      valueName: 'string',
    },
    until: {
      type: 'string',
      describe:
        'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)',
      valueName: 'string',
    },
    timestamps: { type: 'boolean', short: 't', describe: 'Show timestamps' },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer, reconcile }, logs] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/logs.js'),
    ]);
    const now = new Date();
    const since = args.str('since');
    const until = args.str('until');
    const opts = {
      follow: args.bool('follow'),
      tail: logs.parseTail(args.str('tail')),
      since: since ? logs.parseTimeSpec(since, now) : undefined,
      until: until ? logs.parseTimeSpec(until, now) : undefined,
      timestamps: args.bool('timestamps'),
      stdout: ctx.stdout,
      stderr: ctx.stderr,
    };
    const e = await containerEngine(ctx);
    const [rec] = await reconcile(e, [await requireContainer(e, args.positionals[0])]);
    await logs.containerLogs(e, rec, opts);
    return 0;
  },
};
