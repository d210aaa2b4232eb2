import { BerthError } from '../util/errors.js';
import { computeCapabilities } from './capabilities.js';
import { DEFAULT_PATH, type EnvLookup, expandEnvArgs, hasEnv, mergeEnv } from './env.js';
import type { ImageConfig } from './image-config.js';
import { assembleMounts, defaultMounts, INIT_PATH, parseTmpfs } from './mounts.js';
import {
  OCI_VERSION,
  type OciDevice,
  type OciLinux,
  type OciNamespace,
  type OciResources,
  type OciSeccomp,
  type OciSpec,
} from './oci.js';
import type { MountSpec, RunOptions } from './options.js';
import { clampRlimits, requestedRlimits } from './rlimits.js';
import { defaultSeccompProfile, parseSeccompProfile, seccompToOci } from './seccomp.js';
import { parseSecurityOpts, type SecurityOptions } from './security.js';
import type { ResolvedUser } from './user.js';

export { DEFAULT_PATH } from './env.js';

/** Docker's masked paths: hidden from the container (a /dev/null or empty read-only tmpfs over them). */
export const MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/** Docker's read-only paths. */
export const READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/** Facts about the host that change the spec; the caller finds them out. */
export interface HostFacts {
  /** The cgroup hierarchy is unified v2 only (not v1 or hybrid). Default false. */
  cgroupV2?: boolean;
  /** Go's architecture name (see seccomp.goArch). Default amd64. */
  arch?: string;
  /** Kernel `major.minor`, for seccomp rules that need a minimum kernel. */
  kernel?: string;
  /** The host's devices, given to --privileged containers when berth runs as root. */
  devices?: OciDevice[];
}

export interface GenerateInput {
  id: string;
  options: RunOptions;
  image: ImageConfig;
  /** Path of the mounted root filesystem. */
  rootfs: string;
  /** Defaults to --hostname, else the first 12 characters of the id. */
  hostname?: string;
  /** The container's user, resolved by `resolveUser(effectiveUserSpec(...), passwd/group)`. */
  user: ResolvedUser;
  /** The caller's environment, for `-e NAME` without a value. */
  lookupEnv?: EnvLookup;
  host?: HostFacts;
  /** Receives notes worth a debug line (rlimits lowered to the caller's hard limits). */
  debug?: (message: string) => void;
}

/** The user spec to resolve: `-u` if given, else the image's USER (empty means root). */
export function effectiveUserSpec(options: RunOptions, image: ImageConfig): string {
  return options.user ?? image.User ?? '';
}

function entrypointOverride(e: string | string[]): string[] {
  if (Array.isArray(e)) return e;
  if (e === '') return [];
  // Podman's JSON form: --entrypoint '["sh","-c"]'.
  if (e.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(e);
      if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed;
    } catch {
      // Not JSON: a program path that happens to start with '['.
    }
  }
  return [e];
}

/**
 * The command line, with Docker's rules: --entrypoint replaces the image's ENTRYPOINT and also
 * drops its CMD; arguments after the image replace CMD; the result is ENTRYPOINT + CMD.
 */
export function processArgs(options: RunOptions, image: ImageConfig): string[] {
  const overridden = options.entrypoint !== undefined;
  const entrypoint = overridden ? entrypointOverride(options.entrypoint!) : (image.Entrypoint ?? []);
  const cmd = options.args.length > 0 ? options.args : overridden ? [] : (image.Cmd ?? []);
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) {
    throw new BerthError('no command specified', {
      hint: 'give a command after the image name, or an --entrypoint',
    });
  }
  return args;
}

/**
 * The container's environment: the image's, PATH when the image has none, HOSTNAME, TERM with
 * -t, then --env-file and -e (a later setting wins and keeps the first position), and HOME from
 * the user's passwd entry when nothing set it.
 */
export function processEnv(
  options: RunOptions,
  image: ImageConfig,
  hostname: string,
  user: ResolvedUser,
  lookup: EnvLookup = () => undefined,
): string[] {
  const imageEnv = image.Env ?? [];
  const system = [
    ...(hasEnv(imageEnv, 'PATH') ? [] : [`PATH=${DEFAULT_PATH}`]),
    `HOSTNAME=${hostname}`,
    ...(options.tty ? ['TERM=xterm'] : []),
  ];
  const env = mergeEnv(imageEnv, system, options.envFile, expandEnvArgs(options.env, lookup));
  if (!hasEnv(env, 'HOME')) env.push(`HOME=${user.home || '/'}`);
  return env;
}

function workingDir(options: RunOptions, image: ImageConfig): string {
  if (options.workdir !== undefined && options.workdir !== '') {
    if (!options.workdir.startsWith('/')) {
      throw new BerthError(
        `invalid working directory: ${JSON.stringify(options.workdir)} is not an absolute path`,
      );
    }
    return options.workdir;
  }
  const w = image.WorkingDir ?? '';
  if (w === '') return '/';
  return w.startsWith('/') ? w : `/${w}`;
}

function namespaces(options: RunOptions, host: HostFacts): OciNamespace[] {
  // Never `user`: rootless berth already runs inside its own user namespace (berth-ns), and a
  // nested one would map nothing useful; as root, containers share the host's, as Docker's do.
  const ns: OciNamespace[] = [{ type: 'pid' }];
  if (options.network.mode !== 'host') {
    ns.push(options.network.nsPath ? { type: 'network', path: options.network.nsPath } : { type: 'network' });
  }
  ns.push({ type: 'ipc' }, { type: 'uts' }, { type: 'mount' });
  // Docker's default: a private cgroup namespace on cgroup v2, the host's on v1/hybrid.
  if (host.cgroupV2) ns.push({ type: 'cgroup' });
  return ns;
}

function resources(options: RunOptions): OciResources {
  const r: OciResources = {
    devices: [options.privileged ? { allow: true, access: 'rwm' } : { allow: false, access: 'rwm' }],
  };
  const o = options.resources;
  if (o?.memory !== undefined) r.memory = { limit: o.memory };
  if (o?.cpus !== undefined) r.cpu = { quota: Math.round(o.cpus * 100000), period: 100000 };
  if (o?.pidsLimit !== undefined) r.pids = { limit: o.pidsLimit };
  return r;
}

function seccomp(security: SecurityOptions, capabilities: string[], host: HostFacts): OciSeccomp | undefined {
  const ctx = { capabilities, arch: host.arch ?? 'amd64', kernel: host.kernel };
  switch (security.seccomp.kind) {
    case 'unconfined':
      return undefined;
    case 'profile':
      return seccompToOci(parseSeccompProfile(security.seccomp.json), ctx);
    default:
      return seccompToOci(defaultSeccompProfile(), ctx);
  }
}

/** The OCI runtime config (config.json) for a container. Pure: everything it needs is in `input`. */
export function generateSpec(input: GenerateInput): OciSpec {
  const { options, image, user } = input;
  const host = input.host ?? {};
  const security = parseSecurityOpts(options.securityOpt);
  const hostname = input.hostname ?? options.hostname ?? input.id.slice(0, 12);

  let args = processArgs(options, image);
  const userMounts: MountSpec[] = [...options.mounts, ...options.tmpfs.map(parseTmpfs)];
  if (options.init) {
    args = [INIT_PATH, '--', ...args];
    userMounts.push({ type: 'bind', source: options.init, destination: INIT_PATH, options: ['bind', 'ro'] });
  }

  const capabilities = computeCapabilities(options);
  const { rlimits, clamped } = clampRlimits(requestedRlimits(options.ulimits), options.hostRlimits);
  for (const note of clamped) input.debug?.(note);

  const hostNetwork = options.network.mode === 'host';
  const mounts = assembleMounts(
    defaultMounts({
      rootless: options.rootless,
      hostNetwork,
      privileged: options.privileged,
      // Rootless on cgroup v1 the runtime would have to bind the container's own v1 cgroups,
      // which an unprivileged user cannot create: no cgroup mount there.
      cgroupMount: !options.rootless || host.cgroupV2 === true,
    }),
    userMounts,
  );

  const unconfinedPaths = options.privileged || security.unmaskSystemPaths;
  const linux: OciLinux = {
    namespaces: namespaces(options, host),
    maskedPaths: unconfinedPaths ? [] : [...MASKED_PATHS],
    readonlyPaths: unconfinedPaths ? [] : [...READONLY_PATHS],
  };
  if (!options.rootless) {
    // Rootless, cgroups are not ours to use here (v1/hybrid hosts), so limits are left out
    // rather than half-applied.
    linux.resources = resources(options);
    linux.cgroupsPath = `/berth/${input.id}`;
    // Host devices for --privileged only as root: rootless berth's user namespace cannot create
    // device nodes, and binding the host's in instead is not worth its surprises; kept simple.
    if (options.privileged && host.devices?.length) linux.devices = host.devices.map((d) => ({ ...d }));
  }
  if (!options.privileged) {
    const profile = seccomp(security, capabilities, host);
    if (profile) linux.seccomp = profile;
  }

  const spec: OciSpec = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: options.tty,
      user: {
        uid: user.uid,
        gid: user.gid,
        ...(user.additionalGids.length > 0 ? { additionalGids: [...user.additionalGids] } : {}),
      },
      args,
      env: processEnv(options, image, hostname, user, input.lookupEnv),
      cwd: workingDir(options, image),
      capabilities: {
        bounding: [...capabilities],
        effective: [...capabilities],
        inheritable: [],
        permitted: [...capabilities],
        ambient: [],
      },
      rlimits,
      noNewPrivileges: security.noNewPrivileges,
    },
    root: { path: input.rootfs, readonly: options.readOnly },
    hostname,
    mounts,
    linux,
  };
  if (Object.keys(options.annotations).length > 0) spec.annotations = { ...options.annotations };
  return spec;
}
