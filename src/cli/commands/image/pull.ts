import type { CommandDef } from '../../command.js';
import { authfileFlag, platformFlag, quietPullFlag, tlsVerifyFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'pull',
  group: 'image',
  topLevel: ['pull'],
  usage: 'NAME[:TAG|@DIGEST]',
  describe: 'Download an image from a registry',
  minArgs: 1,
  maxArgs: 1,
  options: {
    quiet: quietPullFlag,
    platform: platformFlag,
    'tls-verify': tlsVerifyFlag,
    authfile: authfileFlag,
    creds: {
      type: 'string',
      describe: 'Credentials USERNAME[:PASSWORD] for the registry',
      valueName: 'credentials',
    },
    'all-tags': { type: 'boolean', short: 'a', describe: 'Download all tagged images in the repository' },
  },
  async run(args, ctx) {
    const [{ pullImage }, { engineContext }, { pullProgress }] = await Promise.all([
      import('../../../engine/pull.js'),
      import('../../../engine/context.js'),
      import('../../output/progress.js'),
    ]);
    const quiet = args.bool('quiet');
    const progress = quiet ? undefined : pullProgress(ctx.stderr);
    try {
      const reports = await pullImage(engineContext(ctx.global), {
        reference: args.positionals[0],
        platform: args.str('platform'),
        tlsVerify: args.given.has('tls-verify') ? args.bool('tls-verify') : undefined,
        authfile: args.str('authfile'),
        creds: args.str('creds'),
        allTags: args.bool('all-tags'),
        progress,
      });
      for (const r of reports) ctx.stdout.write(`${r.id}\n`);
    } finally {
      progress?.close();
    }
    return 0;
  },
};
