import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where berth keeps things. Inside berth's user namespace getuid() is 0, so the launcher passes
 * the caller's real ids in BERTH_HOST_UID / BERTH_HOST_GID; those decide rootless or root.
 */
export interface HostIdentity {
  uid: number;
  gid: number;
  rootless: boolean;
}

export function hostIdentity(env: NodeJS.ProcessEnv = process.env): HostIdentity {
  const envUid = env.BERTH_HOST_UID;
  const uid = envUid !== undefined && envUid !== '' ? Number(envUid) : process.getuid!();
  const envGid = env.BERTH_HOST_GID;
  const gid = envGid !== undefined && envGid !== '' ? Number(envGid) : process.getgid!();
  return { uid, gid, rootless: uid !== 0 };
}

export interface BerthPaths {
  /** Persistent store: images, layers, containers, volumes. */
  root: string;
  /** Runtime state (tmpfs, cleared at reboot). */
  runRoot: string;
  /** berth's own configuration directory. */
  configDir: string;
  /** True when runRoot is the /tmp fallback (no usable XDG_RUNTIME_DIR). */
  runRootFallback: boolean;
}

/** Pure: the default paths for an identity and environment; overrides come from --root/--runroot. */
export function defaultPaths(
  id: HostIdentity,
  env: NodeJS.ProcessEnv = process.env,
  overrides: { root?: string; runRoot?: string } = {},
): BerthPaths {
  if (!id.rootless) {
    return {
      root: overrides.root ?? '/var/lib/berth',
      runRoot: overrides.runRoot ?? '/run/berth',
      configDir: '/etc/berth',
      runRootFallback: false,
    };
  }
  const home = env.HOME || homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  const xdgRuntime = env.XDG_RUNTIME_DIR;
  const runRootFallback = !xdgRuntime;
  return {
    root: overrides.root ?? join(dataHome, 'berth'),
    runRoot: overrides.runRoot ?? (xdgRuntime ? join(xdgRuntime, 'berth') : `/tmp/berth-${id.uid}`),
    configDir: join(configHome, 'berth'),
    runRootFallback,
  };
}
