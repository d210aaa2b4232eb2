import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'rm',
  group: 'volume',
  groupAliases: ['remove'],
  usage: 'VOLUME [VOLUME...]',
  describe: 'Remove one or more volumes',
  minArgs: 1,
  options: {
    force: { type: 'boolean', short: 'f', describe: 'Do not error on volumes that do not exist' },
  },
  async run(args, ctx) {
    const [{ removeVolumes }, { engineContext }] = await Promise.all([
      import('../../../engine/volumes.js'),
      import('../../../engine/context.js'),
    ]);
    const results = await removeVolumes(engineContext(ctx.global), args.positionals, {
      force: args.bool('force'),
    });
    // As `rmi`: 1 when the only failures are missing volumes, 125 for anything else.
    let missing = false;
    let failed = false;
    for (const r of results) {
      if (!r.error) {
        ctx.stdout.write(`${r.name}\n`);
        continue;
      }
      ctx.stderr.write(`Error: ${r.error.message}\n`);
      if (r.error.code === 'not-found') missing = true;
      else failed = true;
    }
    return failed ? 125 : missing ? 1 : 0;
  },
};
