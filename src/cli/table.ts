import type { CommandDef } from './command.js';
import { command as containerCp } from './commands/container/cp.js';
import { command as containerDiff } from './commands/container/diff.js';
import { command as containerCommit } from './commands/container/commit.js';
import { command as containerExport } from './commands/container/export.js';
import { command as containerMount } from './commands/container/mount.js';
import { command as containerUnmount } from './commands/container/unmount.js';
import { command as imageImport } from './commands/image/import.js';
import { command as attach } from './commands/container/attach.js';
import { command as containerExists } from './commands/container/exists.js';
import { command as exec } from './commands/container/exec.js';
import { command as logs } from './commands/container/logs.js';
import { command as pause } from './commands/container/pause.js';
import { command as containerPrune } from './commands/container/prune.js';
import { command as rename } from './commands/container/rename.js';
import { command as top } from './commands/container/top.js';
import { command as unpause } from './commands/container/unpause.js';
import { command as containerCleanup } from './commands/container/cleanup.js';
import { command as port } from './commands/container/port.js';
import { command as create } from './commands/container/create.js';
import { command as containerInspect } from './commands/container/inspect.js';
import { command as kill } from './commands/container/kill.js';
import { command as ps } from './commands/container/ls.js';
import { command as restart } from './commands/container/restart.js';
import { command as rm } from './commands/container/rm.js';
import { command as run } from './commands/container/run.js';
import { command as start } from './commands/container/start.js';
import { command as stop } from './commands/container/stop.js';
import { command as wait } from './commands/container/wait.js';
import { command as imageExists } from './commands/image/exists.js';
import { command as imageInspect } from './commands/image/inspect.js';
import { command as login } from './commands/image/login.js';
import { command as logout } from './commands/image/logout.js';
import { command as imageLs } from './commands/image/ls.js';
import { command as imagePrune } from './commands/image/prune.js';
import { command as pull } from './commands/image/pull.js';
import { command as imageRm } from './commands/image/rm.js';
import { command as tag } from './commands/image/tag.js';
import { command as info } from './commands/system/info.js';
import { command as inspect } from './commands/system/inspect.js';
import { command as unshare } from './commands/system/unshare.js';
import { command as version } from './commands/system/version.js';
import { command as volumeCreate } from './commands/volume/create.js';
import { command as volumeExists } from './commands/volume/exists.js';
import { command as volumeInspect } from './commands/volume/inspect.js';
import { command as volumeLs } from './commands/volume/ls.js';
import { command as volumePrune } from './commands/volume/prune.js';
import { command as volumeRm } from './commands/volume/rm.js';

/** Every verb berth knows. Verb modules are light; each loads its engine when it runs. */
export const commands: readonly CommandDef[] = [
  // system
  info,
  inspect,
  unshare,
  version,
  // images
  pull,
  imageLs,
  imageInspect,
  tag,
  imageRm,
  imagePrune,
  imageExists,
  login,
  logout,
  // containers
  run,
  create,
  start,
  stop,
  restart,
  kill,
  rm,
  ps,
  containerInspect,
  wait,
  logs,
  exec,
  attach,
  top,
  rename,
  pause,
  unpause,
  containerPrune,
  containerExists,
  port,
  containerCp,
  containerDiff,
  containerCommit,
  containerExport,
  containerMount,
  containerUnmount,
  imageImport,
  containerCleanup,
  // volumes
  volumeCreate,
  volumeLs,
  volumeInspect,
  volumeRm,
  volumePrune,
  volumeExists,
];
