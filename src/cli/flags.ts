import type { OptionDef } from './command.js';

/** Flag definitions shared by several verbs, so they read and behave the same everywhere. */
export const formatFlag: OptionDef = {
  type: 'string',
  short: 'f',
  describe: "Format the output: 'table', 'json', or a Go template such as '{{.ID}}'",
  valueName: 'string',
};

/** `--format` of commands that print one report (info, version): no table form. */
export const reportFormatFlag: OptionDef = {
  type: 'string',
  short: 'f',
  describe: "Format the output: 'json' or a Go template",
  valueName: 'string',
};

export const filterFlag: OptionDef = {
  type: 'strings',
  describe: 'Filter output based on conditions given (key=value)',
  valueName: 'filter',
};

export const tlsVerifyFlag: OptionDef = {
  type: 'boolean',
  describe: 'Require HTTPS and verify certificates when contacting registries',
  default: true,
};

export const authfileFlag: OptionDef = {
  type: 'string',
  describe: 'Path of the authentication file (default ${XDG_RUNTIME_DIR}/containers/auth.json)',
  valueName: 'path',
  complete: 'file',
};

export const platformFlag: OptionDef = {
  type: 'string',
  describe: 'Set platform if the image is multi-platform, e.g. linux/arm64',
  valueName: 'os/arch[/variant]',
};

export const quietPullFlag: OptionDef = { type: 'boolean', short: 'q', describe: 'Suppress progress output' };
