/**
 * What the user asked for with `berth run`/`create`, as plain data. The CLI fills it from flags
 * (reading any files itself: --env-file contents, seccomp profile text), the engine adds what it
 * resolved (volumes as binds, the init binary, host limits), and `generateSpec` turns it into
 * config.json.
 */

/**
 * A mount the container gets besides berth's defaults. `volume` is a named volume the engine
 * already resolved to a host directory: it is mounted as a bind.
 */
export interface MountSpec {
  type: 'bind' | 'tmpfs' | 'volume';
  /** Host path for bind/volume; ignored for tmpfs. */
  source: string;
  destination: string;
  /** Mount options as the runtime takes them: `ro`, `rbind`, `size=64m`, `rshared`, ... */
  options: string[];
}

/** `--network`: whether the container gets a network namespace of its own. */
export interface NetworkSpec {
  mode: 'host' | 'none' | 'private';
  /** Join this existing network namespace instead of creating one (private mode only). */
  nsPath?: string;
}

export interface HostRlimit {
  soft: number | bigint;
  hard: number | bigint;
}

/** Limits applied through cgroups; only possible as root (see generate.ts). */
export interface ResourceOptions {
  /** Bytes. */
  memory?: number;
  /** CPUs, fractional (`--cpus 1.5`). */
  cpus?: number;
  pidsLimit?: number;
}

export interface RunOptions {
  /** Arguments after the image name; replace the image's Cmd when non-empty. */
  args: string[];
  /**
   * `--entrypoint`: undefined keeps the image's; '' clears it; a string is one program path;
   * an array (Podman's JSON form) is used as given.
   */
  entrypoint?: string | string[];
  /** `-e` values as typed: `K=V`, or `K` to take the value from the caller's environment. */
  env: string[];
  /** Lines from --env-file, already parsed with `parseEnvFile` (`K=V` each). */
  envFile: string[];
  workdir?: string;
  /** `-u name|uid[:group|gid]`; undefined uses the image's USER. */
  user?: string;
  hostname?: string;
  tty: boolean;
  interactive: boolean;
  readOnly: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  /**
   * `--security-opt` values. seccomp=<x> carries the profile's JSON text (the CLI reads the
   * file) or `unconfined`.
   */
  securityOpt: string[];
  /** `--ulimit` values as typed: `nofile=1024:2048`. */
  ulimits: string[];
  /** `--tmpfs` values as typed: `/path[:opts]`. */
  tmpfs: string[];
  /** Host path of catatonit/tini when `--init` was given. */
  init?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: MountSpec[];
  network: NetworkSpec;
  resources?: ResourceOptions;
  /** berth runs rootless (inside its own user namespace). */
  rootless: boolean;
  /** The caller's current limits, keyed by `RLIMIT_NOFILE` etc.: container limits never exceed the hard ones. */
  hostRlimits: Record<string, HostRlimit>;
}

/** RunOptions with every list empty and every switch off: a base for callers and tests. */
export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    args: [],
    env: [],
    envFile: [],
    tty: false,
    interactive: false,
    readOnly: false,
    privileged: false,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    ulimits: [],
    tmpfs: [],
    labels: {},
    annotations: {},
    mounts: [],
    network: { mode: 'private' },
    rootless: false,
    hostRlimits: {},
    ...overrides,
  };
}
