import type { CommandDef } from '../command.js';
import { commandPaths, groupDescriptions } from '../dispatch.js';
import { globalFlags } from '../global.js';

/** Pure: man pages (roff) from the command definitions. Returns file name -> content. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^\./gm, '\\&.').replace(/^'/gm, "\\&'");
}

export function pageName(def: CommandDef): string {
  return def.group ? `berth-${def.group}-${def.name}` : `berth-${def.name}`;
}

export function commandPage(def: CommandDef, version: string): string {
  const name = pageName(def);
  const primary = commandPaths(def)[0];
  let out = `.TH ${name.toUpperCase()} 1 "" "berth ${version}" "berth manual"\n`;
  out += `.SH NAME\n${esc(name)} \\- ${esc(def.describe)}\n`;
  out += `.SH SYNOPSIS\n.B berth ${esc(primary)}\n${Object.keys(def.options).length ? '[\\fIoptions\\fR] ' : ''}${esc(def.usage)}\n`;
  const aliases = commandPaths(def).slice(1);
  if (aliases.length) out += `.SH ALIASES\n${aliases.map((a) => `.B berth ${esc(a)}`).join('\n.br\n')}\n`;
  out += `.SH DESCRIPTION\n${esc(def.describe)}.\n`;
  const opts = Object.entries(def.options).filter(([, o]) => !o.hidden);
  if (opts.length) {
    out += '.SH OPTIONS\n';
    for (const [n, o] of opts.sort(([a], [b]) => a.localeCompare(b))) {
      const value = o.type === 'boolean' ? '' : ` \\fI${o.valueName ?? o.type}\\fR`;
      out += `.TP\n${o.short ? `\\fB\\-${o.short}\\fR, ` : ''}\\fB\\-\\-${esc(n)}\\fR${value}\n${esc(o.describe)}${
        o.default !== undefined && o.default !== false && o.default !== ''
          ? ` (default: ${esc(String(o.default))})`
          : ''
      }\n`;
    }
  }
  out += '.SH SEE ALSO\n.BR berth (1)\n';
  return out;
}

export function mainPage(table: readonly CommandDef[], version: string): string {
  let out = `.TH BERTH 1 "" "berth ${version}" "berth manual"\n`;
  out += '.SH NAME\nberth \\- a rootless, daemonless, Docker\\-compatible container engine\n';
  out += '.SH SYNOPSIS\n.B berth\n[\\fIglobal options\\fR] \\fICOMMAND\\fR [\\fIARG\\fR...]\n';
  out +=
    ".SH DESCRIPTION\nberth runs OCI containers as an ordinary user, with no daemon: every invocation works on a per\\-user store, in a user namespace mapped over the user's subordinate ids.\n";
  out += '.SH GLOBAL OPTIONS\n';
  for (const [n, f] of Object.entries(globalFlags))
    out += `.TP\n\\fB\\-\\-${esc(n)}\\fR \\fI${f.valueName}\\fR\n${esc(f.describe)}\n`;
  out += '.TP\n\\fB\\-D\\fR, \\fB\\-\\-debug\\fR\nSame as \\-\\-log\\-level=debug\n';
  out += '.SH COMMANDS\n';
  for (const d of [...table].sort((a, b) => pageName(a).localeCompare(pageName(b)))) {
    out += `.TP\n.BR ${pageName(d)} (1)\n${esc(d.describe)}\n`;
  }
  out += '.SH MANAGEMENT COMMANDS\n';
  for (const [g, d] of Object.entries(groupDescriptions)) out += `.TP\n\\fB${g}\\fR\n${esc(d)}\n`;
  out +=
    ".SH EXIT STATUS\n125 for an engine or usage error, 126 when the container command cannot be invoked, 127 when it is not found, otherwise the container command's exit status.\n";
  return out;
}

/** Every man page: the main one, one per verb, and `.so` links for the other names. */
export function manPages(table: readonly CommandDef[], version: string): Map<string, string> {
  const pages = new Map<string, string>();
  pages.set('berth.1', mainPage(table, version));
  for (const def of table) {
    const name = pageName(def);
    pages.set(`${name}.1`, commandPage(def, version));
    for (const p of commandPaths(def)) {
      const alias = `berth-${p.replace(/ /g, '-')}`;
      if (alias !== name) pages.set(`${alias}.1`, `.so man1/${name}.1\n`);
    }
  }
  return pages;
}
