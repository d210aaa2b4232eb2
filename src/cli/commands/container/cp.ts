import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'cp',
  group: 'container',
  topLevel: ['cp'],
  usage: 'CONTAINER:SRC_PATH DEST_PATH|- | SRC_PATH|- CONTAINER:DEST_PATH',
  describe: 'Copy files/folders between a container and the local filesystem',
  minArgs: 2,
  maxArgs: 2,
  options: {
    archive: { type: 'boolean', short: 'a', describe: 'Archive mode (copy all uid/gid information)' },
    'follow-link': { type: 'boolean', short: 'L', describe: 'Always follow symbol link in SRC_PATH' },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { copy }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/cp.js'),
    ]);
    const e = await containerEngine(ctx);
    const [source, destination] = args.positionals;
    await copy(e, {
      source,
      destination,
      archive: args.bool('archive'),
      followLink: args.bool('follow-link'),
      ...(source === '-' ? { stdin: process.stdin } : {}),
      stdout: ctx.stdout,
    });
    return 0;
  },
};
