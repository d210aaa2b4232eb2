import type { CommandDef } from '../../command.js';
import { formatFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'inspect',
  topLevel: ['inspect'],
  usage: 'NAME|ID [NAME|ID...]',
  describe: 'Return low-level information on containers or images',
  minArgs: 1,
  options: {
    format: formatFlag,
    type: {
      type: 'string',
      describe: 'Only inspect objects of the given type',
      valueName: 'string',
      choices: ['container', 'image'],
    },
  },
  async run(args, ctx) {
    const [
      { inspectImage },
      { engineContext },
      { printInspect },
      { containerEngine },
      common,
      { inspectContainer },
      { BerthError },
    ] = await Promise.all([
      import('../../../engine/images.js'),
      import('../../../engine/context.js'),
      import('../../output/inspect.js'),
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/list.js'),
      import('../../../util/errors.js'),
    ]);
    const ectx = engineContext(ctx.global);
    const e = await containerEngine(ctx);
    const type = args.str('type');
    // Docker looks for a container first, then an image.
    const inspectOne = async (name: string) => {
      if (type !== 'image') {
        const rec = await e.containers.find<Parameters<typeof inspectContainer>[1]['config']>(name);
        if (rec && !rec.incomplete) {
          const [fresh] = await common.reconcile(e, [rec]);
          return inspectContainer(e, fresh);
        }
        if (type === 'container') throw common.noSuchContainer(name);
      }
      try {
        return await inspectImage(ectx, name);
      } catch (err) {
        if (type === undefined && err instanceof BerthError && err.code === 'not-found') {
          throw new BerthError(`no such object: ${name}`, { code: 'not-found' });
        }
        throw err;
      }
    };
    return printInspect(ctx, args.positionals, inspectOne, args.str('format'));
  },
};
