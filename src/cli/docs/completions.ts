import type { CommandDef } from '../command.js';
import { groupDescriptions } from '../dispatch.js';
import { globalFlags } from '../global.js';

/** Pure: bash, zsh and fish completions generated from the command definitions. */
interface Entry {
  path: string[];
  flags: string[];
  describe: string;
  /** Flags that take a value (so the next word is not a positional). */
  valueFlags: string[];
}

function entries(table: readonly CommandDef[]): Entry[] {
  const out: Entry[] = [];
  for (const def of table) {
    const flags: string[] = [];
    const valueFlags: string[] = [];
    for (const [n, o] of Object.entries(def.options)) {
      if (o.hidden) continue;
      flags.push(`--${n}`);
      if (o.short) flags.push(`-${o.short}`);
      if (o.type !== 'boolean') valueFlags.push(`--${n}`, ...(o.short ? [`-${o.short}`] : []));
    }
    flags.push('--help');
    const names: string[][] = [];
    if (def.group) for (const n of [def.name, ...(def.groupAliases ?? [])]) names.push([def.group, n]);
    for (const t of def.topLevel ?? (def.group ? [] : [def.name])) names.push([t]);
    for (const path of names) out.push({ path, flags: flags.sort(), describe: def.describe, valueFlags });
  }
  return out;
}

export function bashCompletion(table: readonly CommandDef[]): string {
  const es = entries(table);
  const top = [
    ...new Set([
      ...Object.keys(groupDescriptions),
      ...es.filter((e) => e.path.length === 1).map((e) => e.path[0]),
    ]),
  ].sort();
  const globals = [...Object.keys(globalFlags).map((f) => `--${f}`), '--debug', '--help', '--version'].join(
    ' ',
  );
  let s = '# bash completion for berth (generated from the command definitions; do not edit)\n';
  s += '_berth() {\n  local cur=${COMP_WORDS[COMP_CWORD]} i w path="" nwords=0\n';
  s += '  for ((i = 1; i < COMP_CWORD; i++)); do\n    w=${COMP_WORDS[i]}\n';
  s +=
    '    case $w in --root|--runroot|--log-level|--storage-driver) ((i++)); continue ;; -*) continue ;; esac\n';
  s += '    if [ $nwords -lt 2 ]; then path="${path:+$path }$w"; nwords=$((nwords + 1)); fi\n';
  s += '    case $path in ' + Object.keys(groupDescriptions).join('|') + ') ;; *) break ;; esac\n  done\n';
  s += '  local words flags\n  case $path in\n';
  s += `    "") words="${top.join(' ')}"; flags="${globals}" ;;\n`;
  for (const g of Object.keys(groupDescriptions)) {
    const verbs = es.filter((e) => e.path.length === 2 && e.path[0] === g).map((e) => e.path[1]);
    s += `    "${g}") words="${[...new Set(verbs)].sort().join(' ')}"; flags="--help" ;;\n`;
  }
  for (const e of es) s += `    "${e.path.join(' ')}") words=""; flags="${e.flags.join(' ')}" ;;\n`;
  s += '    *) words=""; flags="" ;;\n  esac\n';
  s += '  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur"))\n';
  s += '  elif [ -n "$words" ]; then COMPREPLY=($(compgen -W "$words" -- "$cur"))\n';
  s += '  else COMPREPLY=($(compgen -f -- "$cur")); fi\n}\ncomplete -F _berth berth\n';
  return s;
}

export function zshCompletion(table: readonly CommandDef[]): string {
  const es = entries(table);
  let s =
    '#compdef berth\n# zsh completion for berth (generated from the command definitions; do not edit)\n';
  s += '_berth() {\n  local -a words_ flags_\n  local path_="" w\n  local -i n=0\n';
  s +=
    '  for w in ${words[2,CURRENT-1]}; do\n    [[ $w == -* ]] && continue\n    (( n < 2 )) && path_="${path_:+$path_ }$w" && (( n++ ))\n';
  s += `    [[ $path_ == (${Object.keys(groupDescriptions).join('|')}) ]] || break\n  done\n  case $path_ in\n`;
  const top = es.filter((e) => e.path.length === 1);
  s += `    "") words_=(${[...Object.entries(groupDescriptions).map(([g, d]) => `'${g}:${d.replace(/'/g, '')}'`), ...top.map((e) => `'${e.path[0]}:${e.describe.replace(/'/g, '')}'`)].join(' ')}) ;;\n`;
  for (const g of Object.keys(groupDescriptions)) {
    const verbs = es.filter((e) => e.path.length === 2 && e.path[0] === g);
    s += `    "${g}") words_=(${verbs.map((e) => `'${e.path[1]}:${e.describe.replace(/'/g, '')}'`).join(' ')}) ;;\n`;
  }
  for (const e of es) s += `    "${e.path.join(' ')}") flags_=(${e.flags.join(' ')}) ;;\n`;
  s +=
    '  esac\n  if [[ $PREFIX == -* ]]; then compadd -a flags_\n  elif (( ${#words_} )); then _describe command words_\n  else _files; fi\n}\n_berth "$@"\n';
  return s;
}

export function fishCompletion(table: readonly CommandDef[]): string {
  const es = entries(table);
  let s = '# fish completion for berth (generated from the command definitions; do not edit)\n';
  s += 'complete -c berth -f\n';
  const groups = Object.keys(groupDescriptions);
  const topCond = `not __fish_seen_subcommand_from ${[...groups, ...es.filter((e) => e.path.length === 1).map((e) => e.path[0])].join(' ')}`;
  for (const [g, d] of Object.entries(groupDescriptions))
    s += `complete -c berth -n '${topCond}' -a ${g} -d '${d}'\n`;
  for (const e of es) {
    const d = e.describe.replace(/'/g, "\\'");
    if (e.path.length === 1) s += `complete -c berth -n '${topCond}' -a ${e.path[0]} -d '${d}'\n`;
    else
      s += `complete -c berth -n '__fish_seen_subcommand_from ${e.path[0]}; and not __fish_seen_subcommand_from ${es
        .filter((x) => x.path[0] === e.path[0] && x.path.length === 2)
        .map((x) => x.path[1])
        .join(' ')}' -a ${e.path[1]} -d '${d}'\n`;
    const cond = `__fish_seen_subcommand_from ${e.path[e.path.length - 1]}`;
    for (const f of e.flags.filter((f) => f.startsWith('--'))) {
      s += `complete -c berth -n '${cond}' -l ${f.slice(2)}${e.valueFlags.includes(f) ? ' -r' : ''}\n`;
    }
  }
  return s;
}
