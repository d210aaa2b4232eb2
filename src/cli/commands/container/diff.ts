import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'diff',
  group: 'container',
  topLevel: ['diff'],
  usage: 'CONTAINER',
  describe: "Inspect changes to files or directories on a container's filesystem",
  minArgs: 1,
  maxArgs: 1,
  options: {
    format: {
      type: 'string',
      describe: "Change the output format: 'json'",
      valueName: 'string',
      choices: ['json'],
    },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }, { containerChanges }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/diff.js'),
    ]);
    const e = await containerEngine(ctx);
    const changes = await containerChanges(e, await requireContainer(e, args.positionals[0]));
    if (args.str('format') === 'json') {
      const pick = (k: string) => changes.filter((c) => c.kind === k).map((c) => c.path);
      const out = { changed: pick('C'), added: pick('A'), deleted: pick('D') };
      ctx.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
      return 0;
    }
    ctx.stdout.write(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
    return 0;
  },
};
