import { describe, expect, it } from 'vitest';
import type { CommandDef } from '../../../src/cli/command.js';
import { commandPaths, resolveCommand, wantsHelp } from '../../../src/cli/dispatch.js';
import { parseGlobal } from '../../../src/cli/global.js';
import { parseArgs, splitAtFirstPositional, UsageError } from '../../../src/cli/parse.js';

const runDef = {
  name: 'run',
  group: 'container',
  topLevel: ['run'],
  usage: 'IMAGE [COMMAND] [ARG...]',
  describe: 'Run a command in a new container',
  stopAtFirstPositional: true,
  minArgs: 1,
  options: {
    detach: { type: 'boolean', short: 'd', describe: '' },
    interactive: { type: 'boolean', short: 'i', describe: '' },
    tty: { type: 'boolean', short: 't', describe: '' },
    env: { type: 'strings', short: 'e', describe: '' },
    name: { type: 'string', describe: '' },
    'stop-timeout': { type: 'number', describe: '' },
    pull: { type: 'string', describe: '', choices: ['always', 'missing', 'never'], default: 'missing' },
    'tls-verify': { type: 'boolean', describe: '', default: true },
  },
  run: async () => 0,
} satisfies CommandDef;

const psDef = {
  name: 'ls',
  group: 'container',
  groupAliases: ['list', 'ps'],
  topLevel: ['ps'],
  usage: '',
  describe: 'List containers',
  maxArgs: 0,
  options: {
    all: { type: 'boolean', short: 'a', describe: '' },
    quiet: { type: 'boolean', short: 'q', describe: '' },
  },
  run: async () => 0,
} satisfies CommandDef;

describe('parseArgs', () => {
  it('stops at the image for run: flags after it belong to the command', () => {
    const a = parseArgs(
      runDef,
      ['-e', 'A=1', '-dit', '--env=B=2', 'busybox', 'sh', '-c', 'echo -e x', '-d'],
      'run',
    );
    expect(a.positionals).toEqual(['busybox', 'sh', '-c', 'echo -e x', '-d']);
    expect(a.strs('env')).toEqual(['A=1', 'B=2']);
    expect(a.bool('detach') && a.bool('interactive') && a.bool('tty')).toBe(true);
  });

  it('keeps a value flag that follows a short group', () => {
    const a = parseArgs(runDef, ['-de', 'X=1', 'img'], 'run');
    expect(a.strs('env')).toEqual(['X=1']);
    expect(a.positionals).toEqual(['img']);
  });

  it('treats -- as the end of flags', () => {
    const a = parseArgs(runDef, ['--name', 'x', '--', 'img', '--name'], 'run');
    expect(a.str('name')).toBe('x');
    expect(a.positionals).toEqual(['img', '--name']);
  });

  it('applies defaults and records what was given', () => {
    const a = parseArgs(runDef, ['--tls-verify=false', 'img'], 'run');
    expect(a.str('pull')).toBe('missing');
    expect(a.bool('tls-verify')).toBe(false);
    expect(a.given.has('tls-verify')).toBe(true);
    expect(a.given.has('pull')).toBe(false);
  });

  it('refuses unknown flags the way Docker words it', () => {
    expect(() => parseArgs(runDef, ['--bogus', 'img'], 'run')).toThrow('unknown flag: --bogus');
    expect(() => parseArgs(runDef, ['-x', 'img'], 'run')).toThrow("unknown shorthand flag: 'x' in -x");
    expect(() => parseArgs(psDef, ['--all', '--nope'], 'ps')).toThrow(UsageError);
  });

  it('checks values: numbers, booleans, choices, missing arguments', () => {
    expect(parseArgs(runDef, ['--stop-timeout', '5', 'i'], 'run').num('stop-timeout')).toBe(5);
    expect(() => parseArgs(runDef, ['--stop-timeout', 'abc', 'i'], 'run')).toThrow(/invalid argument "abc"/);
    expect(() => parseArgs(runDef, ['--tls-verify=maybe', 'i'], 'run')).toThrow(/ParseBool/);
    expect(() => parseArgs(runDef, ['--pull', 'sometimes', 'i'], 'run')).toThrow(
      /must be one of always, missing, never/,
    );
    expect(() => parseArgs(runDef, ['--name'], 'run')).toThrow(/flag needs an argument|requires at least/);
  });

  it('enforces argument counts', () => {
    expect(() => parseArgs(runDef, [], 'run')).toThrow('"run" requires at least 1 argument');
    expect(() => parseArgs(psDef, ['x'], 'ps')).toThrow('"ps" accepts no arguments');
  });

  it('splitAtFirstPositional knows which flags take values', () => {
    expect(splitAtFirstPositional(['--name', 'n', 'img', 'x'], runDef.options)).toEqual([
      ['--name', 'n'],
      ['img', 'x'],
    ]);
    expect(splitAtFirstPositional(['-d', 'img'], runDef.options)).toEqual([['-d'], ['img']]);
  });
});

describe('resolveCommand', () => {
  const table = [runDef, psDef];
  it('answers to the short and the management form from one definition', () => {
    expect(resolveCommand(table, ['ps', '-a']).def).toBe(psDef);
    expect(resolveCommand(table, ['container', 'ls', '-a']).def).toBe(psDef);
    expect(resolveCommand(table, ['container', 'list']).args).toEqual([]);
    expect(resolveCommand(table, ['container', 'run', 'img']).def).toBe(runDef);
    expect(commandPaths(psDef)).toEqual(['container ls', 'container list', 'container ps', 'ps']);
  });

  it('says what is unknown', () => {
    expect(() => resolveCommand(table, ['nosuch'])).toThrow('unknown command "nosuch" for "berth"');
    expect(() => resolveCommand(table, ['container', 'nosuch'])).toThrow(
      'unknown command "nosuch" for "berth container"',
    );
    expect(() => resolveCommand(table, ['container'])).toThrow(/missing command/);
  });

  it('finds --help only before the container command', () => {
    expect(wantsHelp(runDef, ['--help'])).toBe(true);
    expect(wantsHelp(runDef, ['img', '--help'])).toBe(false);
    expect(wantsHelp(psDef, ['-a', '-h'])).toBe(true);
  });
});

describe('parseGlobal', () => {
  it('takes global flags off the front', () => {
    const g = parseGlobal(['--root', '/r', '--runroot=/rr', '--log-level', 'debug', 'ps', '--root', 'x']);
    expect(g.global).toMatchObject({ root: '/r', runRoot: '/rr', logLevel: 'debug' });
    expect(g.rest).toEqual(['ps', '--root', 'x']);
  });
  it('refuses unknown global flags and bad levels', () => {
    expect(() => parseGlobal(['--bogus', 'ps'])).toThrow('unknown flag: --bogus');
    expect(() => parseGlobal(['--log-level', 'loud'])).toThrow(/invalid log level/);
  });
});
