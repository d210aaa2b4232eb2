import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'attach',
  group: 'container',
  topLevel: ['attach'],
  usage: 'CONTAINER',
  describe: 'Attach local standard input, output, and error streams to a running container',
  minArgs: 1,
  maxArgs: 1,
  options: {
    'no-stdin': { type: 'boolean', describe: 'Do not attach STDIN' },
    'detach-keys': {
      type: 'string',
      describe: 'Override the key sequence for detaching a container',
      valueName: 'string',
    },
    'sig-proxy': { type: 'boolean', describe: 'Proxy all received signals to the process', default: true },
  },
  async run(args, ctx) {
    const [{ containerEngine }, { requireContainer, reconcile }, { attachAndStart }, { BerthError }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/run.js'),
        import('../../../util/errors.js'),
      ]);
    const e = await containerEngine(ctx);
    const [rec] = await reconcile(e, [await requireContainer(e, args.positionals[0])]);
    if (!rec || rec.state.status === 'exited' || rec.state.status === 'created') {
      throw new BerthError('you cannot attach to a stopped container, start it first', { code: 'conflict' });
    }
    if (rec.state.status === 'paused') {
      throw new BerthError('you cannot attach to a paused container, unpause it first', { code: 'conflict' });
    }
    const stdin = args.bool('no-stdin') ? undefined : process.stdin;
    if (stdin && rec.config.tty && rec.config.interactive && !process.stdin.isTTY) {
      throw new BerthError('the input device is not a TTY');
    }
    const r = await attachAndStart(
      e,
      rec,
      {
        stdin,
        stdout: ctx.stdout,
        stderr: ctx.stderr,
        detachKeys: args.str('detach-keys'),
        sigProxy: args.options['sig-proxy'] !== false,
      },
      false,
    );
    return r.kind === 'exited' ? r.exitCode : 0;
  },
};
