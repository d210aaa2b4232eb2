import { isBerthError } from '../util/errors.js';
import { isDebug, setLogLevel } from '../util/log.js';
import { VERSION } from '../version.js';
import type { Context } from './command.js';
import { groupDescriptions, resolveCommand, wantsHelp } from './dispatch.js';
import { parseGlobal } from './global.js';
import { commandHelp, groupHelp, mainHelp } from './help.js';
import { parseArgs } from './parse.js';
import { commands } from './table.js';
import { trace } from '../util/trace.js';
import type { ManagementGroup } from './command.js';

/** The one place that turns failures into `Error:` lines and exit codes. */
function reportError(e: unknown): number {
  if (isBerthError(e)) {
    process.stderr.write(`Error: ${e.message}\n`);
    if (e.hint) process.stderr.write(`${e.hint}\n`);
    if (isDebug() && e.cause instanceof Error && e.cause.stack) process.stderr.write(`${e.cause.stack}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`Error: ${message}\n`);
  if (isDebug() && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 125;
}

export async function main(argv: string[]): Promise<number> {
  trace('main');
  try {
    const g = parseGlobal(argv);
    setLogLevel(g.global.logLevel);
    if (g.version) {
      process.stdout.write(`berth version ${VERSION}\n`);
      return 0;
    }
    const [first, second] = g.rest;
    if (g.help || first === undefined || (first === 'help' && second === undefined)) {
      process.stdout.write(mainHelp(commands));
      return 0;
    }
    if (first === 'help')
      return main([...argv.slice(0, argv.length - g.rest.length), ...g.rest.slice(1), '--help']);
    if (first in groupDescriptions && (second === '--help' || second === '-h' || second === 'help')) {
      process.stdout.write(groupHelp(commands, first as ManagementGroup));
      return 0;
    }
    const r = resolveCommand(commands, g.rest);
    if (wantsHelp(r.def, r.args)) {
      process.stdout.write(commandHelp(r.def, r.path));
      return 0;
    }
    const args = parseArgs(r.def, r.args, r.path);
    const ctx: Context = {
      global: g.global,
      stdout: process.stdout,
      stderr: process.stderr,
      commandPath: r.path,
    };
    return (await r.def.run(args, ctx)) ?? 0;
  } catch (e) {
    return reportError(e);
  }
}

/** The arguments, as the launcher passed them (see hide_args_from_node in native/launcher). */
function commandLine(): string[] {
  const hex = process.env.BERTH_ARGV_HEX;
  if (hex === undefined) return process.argv.slice(2);
  delete process.env.BERTH_ARGV_HEX;
  return hex === '' ? [] : hex.split(',').map((h) => Buffer.from(h, 'hex').toString());
}

// A command whose work never settles must not look like a success.
process.exitCode = 125;
main(commandLine()).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = reportError(e);
  },
);
