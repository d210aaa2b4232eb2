import type { CommandDef, ManagementGroup } from './command.js';
import { UsageError } from './parse.js';

export const groupDescriptions: Record<ManagementGroup, string> = {
  container: 'Manage containers',
  image: 'Manage images',
  system: 'Manage berth',
  volume: 'Manage volumes',
};

export interface Resolved {
  def: CommandDef;
  /** How the user named it, e.g. `container ls` or `ps`. */
  path: string;
  args: string[];
}

/** Every name a verb answers to, as full command paths ('ps', 'container ls', 'container list'). */
export function commandPaths(def: CommandDef): string[] {
  const paths: string[] = [];
  if (def.group) for (const n of [def.name, ...(def.groupAliases ?? [])]) paths.push(`${def.group} ${n}`);
  for (const t of def.topLevel ?? []) paths.push(t);
  if (!def.group && !def.topLevel?.length) paths.push(def.name);
  return paths;
}

/** Pure: finds the verb for argv (global flags already removed). */
export function resolveCommand(table: readonly CommandDef[], argv: string[]): Resolved {
  const [first, second] = argv;
  if (first === undefined) throw new UsageError('missing command: see "berth --help"');
  if (first in groupDescriptions) {
    const group = first as ManagementGroup;
    if (second === undefined || second.startsWith('-')) {
      throw new UsageError(`missing command "berth ${group} COMMAND": see "berth ${group} --help"`);
    }
    const def = table.find(
      (d) => d.group === group && (d.name === second || d.groupAliases?.includes(second)),
    );
    if (!def) throw new UsageError(`unknown command "${second}" for "berth ${group}"`);
    return { def, path: `${group} ${second}`, args: argv.slice(2) };
  }
  const def = table.find((d) => d.topLevel?.includes(first) || (!d.group && d.name === first));
  if (!def) throw new UsageError(`unknown command "${first}" for "berth"`);
  return { def, path: first, args: argv.slice(1) };
}

/** Is --help asked for before the arguments that belong to the container? */
export function wantsHelp(def: CommandDef, args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    // -h is --hostname for run and create, as in Docker.
    if (a === '--help' || (a === '-h' && def.options.hostname?.short !== 'h')) return true;
    if (def.stopAtFirstPositional && !a.startsWith('-')) return false;
  }
  return false;
}
