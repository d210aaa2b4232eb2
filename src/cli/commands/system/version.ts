import type { CommandDef } from '../../command.js';
import { reportFormatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'version',
  group: 'system',
  topLevel: ['version'],
  usage: '',
  describe: 'Show version information',
  maxArgs: 0,
  needsNamespace: false,
  options: {
    format: reportFormatFlag,
  },
  async run(args, ctx) {
    const [{ VERSION }, { printReport }] = await Promise.all([
      import('../../../version.js'),
      import('../../output/report.js'),
    ]);
    const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
    const report = {
      Client: {
        Version: VERSION,
        NodeVersion: process.version,
        OsArch: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
      },
    };
    const format = args.str('format');
    if (format) {
      printReport(ctx.stdout, report, format);
    } else {
      const c = report.Client;
      ctx.stdout.write(
        `Client:\n Version:      ${c.Version}\n Node Version: ${c.NodeVersion}\n OS/Arch:      ${c.OsArch}\n`,
      );
    }
    return 0;
  },
};
