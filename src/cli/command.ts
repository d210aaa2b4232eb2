import type { Writable } from 'node:stream';

/**
 * The one definition of a verb. Help, man pages, completions and both of Docker's forms
 * (`berth ps` and `berth container ls`) are derived from it. Verb modules stay light: they
 * import their engine module inside `run`, so start-up only pays for the verb in use.
 */
export type OptionType = 'boolean' | 'string' | 'number' | 'strings';

export interface OptionDef {
  type: OptionType;
  /** Single-letter short form, without the dash. */
  short?: string;
  describe: string;
  /** Placeholder shown in help, e.g. 'string', 'list', 'duration'. */
  valueName?: string;
  default?: string | number | boolean;
  choices?: readonly string[];
  /** Completion hint for the value: files, directories, images, containers... */
  complete?: 'file' | 'dir' | 'image' | 'container' | 'volume';
  hidden?: boolean;
}

export type ManagementGroup = 'container' | 'image' | 'system' | 'volume';

export interface CommandDef {
  /** The verb as it stands in its management group: `ls` for `container ls`. */
  name: string;
  /** The management group, or undefined for a verb that only exists at top level. */
  group?: ManagementGroup;
  /** Other names inside the group: `list`, `ps` for `container ls`. */
  groupAliases?: readonly string[];
  /** Top-level forms: `ps` for `container ls`, `run` for `container run`. */
  topLevel?: readonly string[];
  /** Positional arguments for the usage line, e.g. 'IMAGE [COMMAND] [ARG...]'. */
  usage: string;
  describe: string;
  options: Record<string, OptionDef>;
  /** Flags stop at the first positional (Docker's `run IMAGE CMD --flag` rule). */
  stopAtFirstPositional?: boolean;
  /** Minimum and maximum number of positionals (max undefined = unbounded). */
  minArgs?: number;
  maxArgs?: number;
  /** Left out of help, man pages and completions (internal verbs such as `container cleanup`). */
  hidden?: boolean;
  /** Does this verb need the rootless user namespace? Default true. */
  needsNamespace?: boolean;
  run(args: ParsedArgs, ctx: Context): Promise<number | undefined>;
}

export interface GlobalOptions {
  root?: string;
  runRoot?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  storageDriver?: string;
}

export interface Context {
  global: GlobalOptions;
  stdout: Writable;
  stderr: Writable;
  /** The invocation as the user typed it, for messages: `berth container ls`. */
  commandPath: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Option values by long name; absent options are undefined unless they have a default. */
  options: Record<string, unknown>;
  /** Long names of the options the user gave explicitly. */
  given: ReadonlySet<string>;
  bool(name: string): boolean;
  str(name: string): string | undefined;
  num(name: string): number | undefined;
  strs(name: string): string[];
}
