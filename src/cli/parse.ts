import yargsParser from 'yargs-parser';
import { BerthError } from '../util/errors.js';
import type { CommandDef, OptionDef, ParsedArgs } from './command.js';

/** Thrown for bad command lines; the CLI prints it as one `Error:` line and exits 125. */
export class UsageError extends BerthError {
  constructor(message: string) {
    super(message, { code: 'usage' });
  }
}

function shortIndex(options: Record<string, OptionDef>): Map<string, [string, OptionDef]> {
  const m = new Map<string, [string, OptionDef]>();
  for (const [name, def] of Object.entries(options)) if (def.short) m.set(def.short, [name, def]);
  return m;
}

/**
 * Splits argv into the flag part and the positionals. For verbs that stop at the first
 * positional (run, exec), everything from the image on belongs to the container's command.
 */
export function splitAtFirstPositional(
  argv: string[],
  options: Record<string, OptionDef>,
): [string[], string[]] {
  const shorts = shortIndex(options);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return [argv.slice(0, i), argv.slice(i + 1)];
    if (a === '-' || !a.startsWith('-')) return [argv.slice(0, i), argv.slice(i)];
    if (a.startsWith('--')) {
      if (a.includes('=')) continue;
      const name = a.slice(2);
      const def = options[name];
      if (def && def.type !== 'boolean') i++;
      continue;
    }
    // A short group such as -dit or -e=X or -eFOO: only its last letter may take a value.
    const letters = a.slice(1);
    for (let j = 0; j < letters.length; j++) {
      const def = shorts.get(letters[j])?.[1];
      if (def && def.type !== 'boolean') {
        if (j === letters.length - 1) i++;
        break;
      }
    }
  }
  return [argv, []];
}

function coerceBool(name: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new UsageError(
    `invalid argument "${String(v)}" for "--${name}" flag: strconv.ParseBool: parsing "${String(v)}": invalid syntax`,
  );
}

/** Parses one verb's arguments against its definition. Pure. */
export function parseArgs(
  def: Pick<CommandDef, 'options' | 'stopAtFirstPositional' | 'minArgs' | 'maxArgs'>,
  argv: string[],
  verb: string,
): ParsedArgs {
  const [flagPart, rest] = def.stopAtFirstPositional ? splitAtFirstPositional(argv, def.options) : [argv, []];
  const cfg = {
    boolean: [] as string[],
    string: [] as string[],
    number: [] as string[],
    alias: {} as Record<string, string>,
  };
  for (const [name, o] of Object.entries(def.options)) {
    // Booleans are parsed as strings when written `--flag=value` so we can check the value;
    // yargs-parser keeps `--flag` alone as true.
    if (o.type === 'boolean') cfg.boolean.push(name);
    else if (o.type === 'number') cfg.string.push(name);
    else cfg.string.push(name);
    if (o.short) cfg.alias[o.short] = name;
  }
  // yargs-parser reads any unknown `--bool=value` as false; check the value ourselves.
  for (const a of flagPart) {
    const m = /^--([^=]+)=(.*)$/s.exec(a);
    if (m && def.options[m[1]]?.type === 'boolean') coerceBool(m[1], m[2]);
  }
  const parsed = yargsParser.detailed(flagPart, {
    ...cfg,
    configuration: {
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
      'duplicate-arguments-array': true,
      'flatten-duplicate-arrays': true,
      'strip-aliased': true,
      'greedy-arrays': false,
      'halt-at-non-option': false,
      'short-option-groups': true,
      'unknown-options-as-args': false,
    },
  });
  if (parsed.error) throw new UsageError(parsed.error.message);
  const shorts = shortIndex(def.options);
  const options: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [key, value] of Object.entries(parsed.argv)) {
    if (key === '_' || key === '--') continue;
    let name = key;
    if (key.length === 1 && !def.options[key]) {
      const s = shorts.get(key);
      if (!s) throw new UsageError(`unknown shorthand flag: '${key}' in -${key}`);
      name = s[0];
    }
    const o = def.options[name];
    if (!o) throw new UsageError(`unknown flag: --${key}`);
    given.add(name);
    const values = Array.isArray(value) ? value : [value];
    if (o.type === 'strings') {
      options[name] = values.map((v) => {
        if (typeof v === 'boolean') throw new UsageError(`flag needs an argument: --${name}`);
        return String(v);
      });
      continue;
    }
    const last = values[values.length - 1];
    if (o.type === 'boolean') {
      options[name] = coerceBool(name, last);
    } else {
      if (typeof last === 'boolean' || last === undefined)
        throw new UsageError(`flag needs an argument: --${name}`);
      if (o.type === 'number') {
        const n = Number(last);
        if (last === '' || !Number.isFinite(n)) {
          throw new UsageError(
            `invalid argument "${last}" for "--${name}" flag: strconv.ParseInt: parsing "${last}": invalid syntax`,
          );
        }
        options[name] = n;
      } else {
        options[name] = String(last);
      }
    }
    if (o.choices && !o.choices.includes(String(options[name]))) {
      throw new UsageError(
        `invalid argument "${String(options[name])}" for "--${name}" flag: must be one of ${o.choices.join(', ')}`,
      );
    }
  }
  for (const [name, o] of Object.entries(def.options)) {
    if (!given.has(name) && o.default !== undefined) options[name] = o.default;
  }
  const positionals = [...parsed.argv._.map(String), ...(parsed.argv['--'] ?? []).map(String), ...rest];
  if (def.minArgs !== undefined && positionals.length < def.minArgs) {
    throw new UsageError(
      `"${verb}" requires at least ${def.minArgs} argument${def.minArgs === 1 ? '' : 's'}`,
    );
  }
  if (def.maxArgs !== undefined && positionals.length > def.maxArgs) {
    throw new UsageError(
      def.maxArgs === 0
        ? `"${verb}" accepts no arguments`
        : `"${verb}" accepts at most ${def.maxArgs} argument${def.maxArgs === 1 ? '' : 's'}`,
    );
  }
  return makeArgs(positionals, options, given);
}

export function makeArgs(
  positionals: string[],
  options: Record<string, unknown>,
  given: ReadonlySet<string> = new Set(),
): ParsedArgs {
  return {
    positionals,
    options,
    given,
    bool: (n) => options[n] === true,
    str: (n) => (options[n] === undefined ? undefined : String(options[n])),
    num: (n) => (typeof options[n] === 'number' ? (options[n] as number) : undefined),
    strs: (n) => {
      const v = options[n];
      if (v === undefined) return [];
      return Array.isArray(v) ? v.map(String) : [String(v)];
    },
  };
}
