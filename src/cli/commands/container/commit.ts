import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'commit',
  group: 'container',
  topLevel: ['commit'],
  usage: 'CONTAINER [REPOSITORY[:TAG]]',
  describe: "Create a new image from a container's changes",
  minArgs: 1,
  maxArgs: 2,
  options: {
    author: {
      type: 'string',
      short: 'a',
      describe: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")',
      valueName: 'string',
    },
    change: {
      type: 'strings',
      short: 'c',
      describe: 'Apply Dockerfile instruction to the created image',
      valueName: 'list',
    },
    message: { type: 'string', short: 'm', describe: 'Commit message', valueName: 'string' },
    pause: { type: 'boolean', short: 'p', describe: 'Pause container during commit', default: true },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }, { commitContainer }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/commit.js'),
    ]);
    const e = await containerEngine(ctx);
    const [target, reference] = args.positionals;
    const report = await commitContainer(e, await requireContainer(e, target), {
      reference,
      message: args.str('message'),
      author: args.str('author'),
      changes: args.strs('change'),
      pause: args.bool('pause'),
    });
    ctx.stdout.write(`sha256:${report.id}\n`);
    return 0;
  },
};
