import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'top',
  group: 'container',
  topLevel: ['top'],
  usage: 'CONTAINER [ps OPTIONS]',
  describe: 'Display the running processes of a container',
  // Everything after the container belongs to ps (`top CTR -o pid,comm`).
  stopAtFirstPositional: true,
  minArgs: 1,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }, { containerTop }, { tabwrite }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/top.js'),
      import('../../output/tabwriter.js'),
    ]);
    const [target, ...psArgs] = args.positionals;
    const e = await containerEngine(ctx);
    const report = await containerTop(e, await requireContainer(e, target), psArgs);
    const rows = [report.titles, ...report.processes].map((r) => `${r.join('\t')}\n`).join('');
    // docker/cli: tabwriter.NewWriter(out, 20, 1, 3, ' ', 0).
    ctx.stdout.write(tabwrite(rows, { minwidth: 20, padding: 3, padchar: ' ' }));
    return 0;
  },
};
