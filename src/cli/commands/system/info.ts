import type { CommandDef } from '../../command.js';
import { reportFormatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'info',
  group: 'system',
  topLevel: ['info'],
  usage: '',
  describe: 'Display host facts for debugging a rootless setup',
  maxArgs: 0,
  options: {
    format: reportFormatFlag,
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
