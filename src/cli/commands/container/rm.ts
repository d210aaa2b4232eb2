import type { CommandDef } from '../../command.js';

export const command: CommandDef = {
  name: 'rm',
  group: 'container',
  groupAliases: ['remove'],
  topLevel: ['rm'],
  usage: 'CONTAINER [CONTAINER...]',
  describe: 'Remove one or more containers',
  minArgs: 1,
  options: {
    force: {
      type: 'boolean',
      short: 'f',
      describe: 'Force the removal of a running container (uses SIGKILL)',
    },
    volumes: {
      type: 'boolean',
      short: 'v',
      describe: 'Remove anonymous volumes associated with the container',
    },
  },
  async run(args, ctx) {
    const [{ containerEngine, forEachTarget }, { requireContainer, noSuchContainer }, { removeContainer }] =
      await Promise.all([
        import('../../containers.js'),
        import('../../../engine/containers/common.js'),
        import('../../../engine/containers/remove.js'),
      ]);
    const e = await containerEngine(ctx);
    return forEachTarget(ctx, args.positionals, async (t) => {
      let rec: Awaited<ReturnType<typeof requireContainer>>;
      try {
        rec = await requireContainer(e, t);
      } catch (err) {
        // A name a killed create left reserved without a record: rm -f frees it.
        const dangling = args.bool('force') ? await e.containers.danglingName(t) : undefined;
        if (dangling) {
          await e.containers.releaseName(t, dangling);
          await e.containers.removeFiles(dangling, undefined);
          return t;
        }
        throw err instanceof Error ? err : noSuchContainer(t);
      }
      await removeContainer(e, rec.id, { force: args.bool('force'), volumes: args.bool('volumes') });
      return t;
    });
  },
};
