import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'export',
  group: 'container',
  topLevel: ['export'],
  usage: 'CONTAINER',
  describe: "Export a container's filesystem as a tar archive",
  minArgs: 1,
  maxArgs: 1,
  options: {
    output: {
      type: 'string',
      short: 'o',
      describe: 'Write to a file, instead of STDOUT',
      valueName: 'string',
      complete: 'file',
    },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }, { exportContainer }, { BerthError }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/export.js'),
        import('../../../util/errors.js'),
      ]);
    const output = args.str('output');
    if (!output && (ctx.stdout as { isTTY?: boolean }).isTTY) {
      throw new BerthError('refusing to write a tar archive to a terminal', {
        hint: 'use -o FILE or redirect the output',
      });
    }
    const e = await containerEngine(ctx);
    await exportContainer(e, await requireContainer(e, args.positionals[0]), output ?? ctx.stdout);
    return 0;
  },
};
