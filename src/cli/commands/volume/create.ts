import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'create',
  group: 'volume',
  usage: '[VOLUME]',
  describe: 'Create a volume',
  maxArgs: 1,
  options: {
    driver: {
      type: 'string',
      short: 'd',
      describe: 'Specify volume driver name',
      valueName: 'string',
      default: 'local',
    },
    label: {
      type: 'strings',
      short: 'l',
      describe: 'Set metadata for a volume (key=value)',
      valueName: 'list',
    },
    opt: {
      type: 'strings',
      short: 'o',
      describe: 'Set driver specific options (key=value)',
      valueName: 'map',
    },
  },
  async run(args, ctx) {
    const [{ createVolume }, { engineContext }, { BerthError }] = await Promise.all([
      import('../../../engine/volumes.js'),
      import('../../../engine/context.js'),
      import('../../../util/errors.js'),
    ]);
    const pairs = (list: string[], what: string, needValue: boolean): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const item of list) {
        const i = item.indexOf('=');
        if (i === 0 || (needValue && i < 0))
          throw new BerthError(`invalid ${what} "${item}": want key=value`);
        out[i < 0 ? item : item.slice(0, i)] = i < 0 ? '' : item.slice(i + 1);
      }
      return out;
    };
    const rec = await createVolume(engineContext(ctx.global), {
      name: args.positionals[0],
      driver: args.str('driver'),
      labels: pairs(args.strs('label'), 'label', false),
      options: pairs(args.strs('opt'), 'option', true),
    });
    ctx.stdout.write(`${rec.name}\n`);
    return 0;
  },
};
