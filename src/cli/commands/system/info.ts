import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'info',
  group: 'system',
  topLevel: ['info'],
  usage: '',
  describe: 'Display host facts for debugging a rootless setup',
  maxArgs: 0,
  options: {
    format: {
      type: 'string',
      short: 'f',
      describe: "Format the output: 'json' or a Go template",
      valueName: 'string',
    },
  },
  async run(args, ctx) {
    const [{ info }, { engineContext }, { printReport }] = await Promise.all([
      import('../../../engine/info.js'),
      import('../../../engine/context.js'),
      import('../../output/report.js'),
    ]);
    const report = await info(engineContext(ctx.global));
    printReport(ctx.stdout, report, args.str('format'));
    return 0;
  },
};
