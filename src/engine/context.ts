import { type BerthPaths, defaultPaths, type HostIdentity, hostIdentity } from '../sys/paths.js';
import { warn } from '../util/log.js';

/** What every engine operation needs to know about where it runs. */
export interface EngineContext {
  identity: HostIdentity;
  paths: BerthPaths;
  storageDriver?: string;
}

export interface EngineGlobals {
  root?: string;
  runRoot?: string;
  storageDriver?: string;
}

let warnedFallback = false;

export function engineContext(g: EngineGlobals): EngineContext {
  const identity = hostIdentity();
  const paths = defaultPaths(identity, process.env, { root: g.root, runRoot: g.runRoot });
  if (paths.runRootFallback && !g.runRoot && !warnedFallback) {
    warnedFallback = true;
    warn(`XDG_RUNTIME_DIR is not set: using ${paths.runRoot} for runtime state`);
  }
  return { identity, paths, storageDriver: g.storageDriver };
}
