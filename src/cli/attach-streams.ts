import { PassThrough } from 'node:stream';
import { BerthError } from '../util/errors.js';
import type { Context, ParsedArgs } from './command.js';

/** The streams a foreground run or start attaches, honouring `-a stdin|stdout|stderr`. */
export function attachStreams(args: ParsedArgs, ctx: Context, detach: boolean) {
  const chosen = args.strs('attach').map((s) => s.toLowerCase());
  for (const s of chosen) {
    if (!['stdin', 'stdout', 'stderr'].includes(s))
      throw new BerthError(`invalid argument "${s}" for "-a": must be stdin, stdout or stderr`);
  }
  if (detach && chosen.length)
    throw new BerthError('conflicting options: cannot specify both --attach and --detach');
  const all = chosen.length === 0;
  const sink = () => new PassThrough().resume();
  return {
    stdin: all || chosen.includes('stdin') ? process.stdin : undefined,
    stdout: all || chosen.includes('stdout') ? ctx.stdout : sink(),
    stderr: all || chosen.includes('stderr') ? ctx.stderr : sink(),
    detachKeys: args.str('detach-keys'),
    sigProxy: args.options['sig-proxy'] !== false,
  };
}
