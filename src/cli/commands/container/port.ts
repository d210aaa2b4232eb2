import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'port',
  group: 'container',
  topLevel: ['port'],
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  describe: 'List port mappings or a specific mapping for the container',
  minArgs: 1,
  maxArgs: 2,
  options: {},
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer }, { containerPortLines }] = await Promise.all([
      import('../../containers.js'),
      import('../../../engine/containers/common.js'),
      import('../../../engine/containers/port.js'),
    ]);
    const [target, privatePort] = args.positionals;
    const e = await containerEngine(ctx);
    const lines = await containerPortLines(e, await requireContainer(e, target), privatePort);
    ctx.stdout.write(lines.map((l) => `${l}\n`).join(''));
    return 0;
  },
};
