import type { CommandDef } from '../../command.js';
import { authfileFlag, tlsVerifyFlag } from '../../flags.js';

export const command: CommandDef = {
  name: 'login',
  topLevel: ['login'],
  usage: 'REGISTRY',
  describe: 'Log in to a container registry',
  minArgs: 1,
  maxArgs: 1,
  options: {
    username: { type: 'string', short: 'u', describe: 'Username', valueName: 'string' },
    password: { type: 'string', short: 'p', describe: 'Password', valueName: 'string' },
    'password-stdin': { type: 'boolean', describe: 'Take the password from stdin' },
    authfile: authfileFlag,
    'tls-verify': tlsVerifyFlag,
  },
  async run(args, ctx) {
    const [{ login }, { engineContext }, { prompt, readAllStdin }, { BerthError }] = await Promise.all([
      import('../../../engine/login.js'),
      import('../../../engine/context.js'),
      import('../../prompt.js'),
      import('../../../util/errors.js'),
    ]);
    let username = args.str('username') ?? '';
    let password = args.str('password') ?? '';
    if (args.bool('password-stdin')) {
      if (args.given.has('password'))
        throw new BerthError('--password and --password-stdin are mutually exclusive');
      if (!username) throw new BerthError('must provide --username with --password-stdin');
      password = (await readAllStdin()).replace(/\r?\n$/, '');
    } else if (args.given.has('password')) {
      ctx.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    }
    if (!username) username = await prompt('Username: ', false);
    if (!password) password = await prompt('Password: ', true);
    await login(engineContext(ctx.global), {
      registry: args.positionals[0],
      username,
      password,
      authfile: args.str('authfile'),
      tlsVerify: args.given.has('tls-verify') ? args.bool('tls-verify') : undefined,
    });
    ctx.stdout.write('Login Succeeded\n');
    return 0;
  },
};
