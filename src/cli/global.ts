import type { GlobalOptions } from './command.js';
import { UsageError } from './parse.js';

export interface GlobalParse {
  global: GlobalOptions;
  help: boolean;
  version: boolean;
  /** argv from the verb on. */
  rest: string[];
}

const levels = ['debug', 'info', 'warn', 'error'] as const;

/** Global flags, as documented for `berth --help`; they stand before the verb. */
export const globalFlags = {
  root: { describe: 'Path to the persistent store (images, containers, volumes)', valueName: 'path' },
  runroot: { describe: 'Path to the runtime state directory', valueName: 'path' },
  'log-level': {
    describe: 'Log messages at this level and above: debug, info, warn, error',
    valueName: 'level',
  },
  'storage-driver': { describe: 'Storage driver: overlay, fuse-overlayfs or vfs', valueName: 'driver' },
} as const;

/** Pure: takes the global flags off the front of argv. */
export function parseGlobal(argv: string[]): GlobalParse {
  const global: GlobalOptions = { logLevel: 'warn' };
  let help = false;
  let version = false;
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`flag needs an argument: ${flag}`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') break;
    const eq = a.indexOf('=');
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    const inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    switch (flag) {
      case '--root':
        global.root = value(flag, inline);
        break;
      case '--runroot':
        global.runRoot = value(flag, inline);
        break;
      case '--log-level': {
        const lv = value(flag, inline);
        if (!(levels as readonly string[]).includes(lv)) {
          throw new UsageError(`invalid log level "${lv}": must be one of ${levels.join(', ')}`);
        }
        global.logLevel = lv as GlobalOptions['logLevel'];
        break;
      }
      case '-D':
      case '--debug':
        global.logLevel = 'debug';
        break;
      case '--storage-driver':
        global.storageDriver = value(flag, inline);
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      case '-v':
      case '--version':
        version = true;
        break;
      default:
        throw new UsageError(`unknown flag: ${flag}`);
    }
  }
  return { global, help, version, rest: argv.slice(i) };
}
