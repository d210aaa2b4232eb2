import type { CommandDef, ManagementGroup, OptionDef } from './command.js';
import { commandPaths, groupDescriptions } from './dispatch.js';
import { globalFlags } from './global.js';

function flagLabel(name: string, o: OptionDef): string {
  const short = o.short ? `-${o.short}, ` : '    ';
  const value =
    o.type === 'boolean'
      ? ''
      : ` ${o.valueName ?? (o.type === 'number' ? 'int' : o.type === 'strings' ? 'stringArray' : 'string')}`;
  return `  ${short}--${name}${value}`;
}

function column(rows: [string, string][]): string {
  const width = Math.max(0, ...rows.map(([l]) => l.length)) + 3;
  return rows.map(([l, r]) => (r ? l.padEnd(width) + r : l)).join('\n');
}

export function optionRows(options: Record<string, OptionDef>): [string, string][] {
  return Object.entries(options)
    .filter(([, o]) => !o.hidden)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, o]) => {
      let d = o.describe;
      if (o.default !== undefined && o.default !== false && o.default !== '')
        d += ` (default ${JSON.stringify(o.default)})`;
      return [flagLabel(name, o), d];
    });
}

export function commandHelp(def: CommandDef, path: string): string {
  const usage = `berth ${path}${Object.keys(def.options).length ? ' [options]' : ''}${def.usage ? ` ${def.usage}` : ''}`;
  const aliases = commandPaths(def).filter((p) => p !== path);
  let out = `${def.describe}\n\nUsage:\n  ${usage}\n`;
  if (aliases.length) out += `\nAliases:\n  ${aliases.map((a) => `berth ${a}`).join(', ')}\n`;
  const rows = optionRows(def.options);
  rows.push(['  -h, --help', `help for ${def.name}`]);
  out += `\nOptions:\n${column(rows)}\n`;
  return out;
}

export function groupHelp(table: readonly CommandDef[], group: ManagementGroup): string {
  const rows: [string, string][] = table
    .filter((d) => d.group === group && !d.hidden)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => [`  ${d.name}`, d.describe]);
  return `${groupDescriptions[group]}\n\nUsage:\n  berth ${group} COMMAND\n\nCommands:\n${column(rows)}\n\nRun 'berth ${group} COMMAND --help' for more information on a command.\n`;
}

export function mainHelp(table: readonly CommandDef[]): string {
  const groups: [string, string][] = Object.entries(groupDescriptions).map(([g, d]) => [`  ${g}`, d]);
  const verbs: [string, string][] = [];
  for (const d of table) {
    if (d.hidden) continue;
    for (const t of d.topLevel ?? (d.group ? [] : [d.name])) verbs.push([`  ${t}`, d.describe]);
  }
  verbs.sort((a, b) => a[0].localeCompare(b[0]));
  const globals: [string, string][] = Object.entries(globalFlags).map(([n, f]) => [
    `      --${n} ${f.valueName}`,
    f.describe,
  ]);
  globals.push(
    ['  -D, --debug', 'Same as --log-level=debug'],
    ['  -h, --help', 'Help for berth'],
    ['  -v, --version', 'Print the version and exit'],
  );
  return (
    'A rootless, daemonless, Docker-compatible container engine\n\n' +
    'Usage:\n  berth [global options] COMMAND\n\n' +
    `Management commands:\n${column(groups)}\n\nCommands:\n${column(verbs)}\n\nGlobal options:\n${column(globals)}\n\n` +
    "Run 'berth COMMAND --help' for more information on a command.\n"
  );
}
