import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'import',
  group: 'image',
  topLevel: ['import'],
  usage: 'FILE|- [REPOSITORY[:TAG]]',
  describe: 'Import the contents from a tarball to create a filesystem image',
  minArgs: 1,
  maxArgs: 2,
  options: {
    change: {
      type: 'strings',
      short: 'c',
      describe: 'Apply Dockerfile instruction to the created image',
      valueName: 'list',
    },
    message: {
      type: 'string',
      short: 'm',
      describe: 'Set commit message for imported image',
      valueName: 'string',
    },
  },
  async run(args, ctx) {
    const [{ importImage }, { engineContext }] = await Promise.all([
      import('../../../engine/import.js'),
      import('../../../engine/context.js'),
    ]);
    const [source, reference] = args.positionals;
    const id = await importImage(engineContext(ctx.global), {
      source,
      reference,
      changes: args.strs('change'),
      message: args.str('message'),
      ...(source === '-' ? { stdin: process.stdin } : {}),
    });
    ctx.stdout.write(`sha256:${id}\n`);
    return 0;
  },
};
