import type { CommandDef } from './command.js';
import { command as info } from './commands/system/info.js';
import { command as unshare } from './commands/system/unshare.js';
import { command as version } from './commands/system/version.js';

/** Every verb berth knows. Verb modules are light; each loads its engine when it runs. */
export const commands: readonly CommandDef[] = [info, unshare, version];
