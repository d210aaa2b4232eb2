import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'rm',
  group: 'image',
  groupAliases: ['remove'],
  topLevel: ['rmi'],
  usage: 'IMAGE [IMAGE...]',
  describe: 'Remove one or more images',
  minArgs: 1,
  options: {
    force: { type: 'boolean', short: 'f', describe: 'Force removal of the image' },
  },
  async run(args, ctx) {
    const [{ removeImages }, { engineContext }] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
    ]);
    const results = await removeImages(engineContext(ctx.global), args.positionals, {
      force: args.bool('force'),
    });
    // Podman's codes: 1 when the only failures are missing images, 125 for anything else.
    let missing = false;
    let failed = false;
    for (const r of results) {
      for (const u of r.untagged) ctx.stdout.write(`Untagged: ${u}\n`);
      for (const d of r.deleted) ctx.stdout.write(`Deleted: ${d}\n`);
      if (r.error) {
        ctx.stderr.write(`Error: ${r.error.message}\n`);
        if (r.error.code === 'not-found') missing = true;
        else failed = true;
      }
    }
    return failed ? 125 : missing ? 1 : 0;
  },
};
