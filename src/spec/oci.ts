/**
 * The subset of the OCI runtime spec (config.json, v1.0.2) that berth writes. Field names follow
 * the spec exactly, so the object can be serialised as-is with `specToJson`.
 */

export const OCI_VERSION = '1.0.2';

/** rlimit and seccomp values are uint64 in Go; past 2^53 they are carried as bigint. */
export type Uint64 = number | bigint;

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  inheritable: string[];
  permitted: string[];
  ambient: string[];
}

export interface OciRlimit {
  type: string;
  soft: Uint64;
  hard: Uint64;
}

export interface OciProcess {
  terminal: boolean;
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  rlimits: OciRlimit[];
  noNewPrivileges: boolean;
}

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciNamespace {
  type: 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';
  path?: string;
}

export interface OciDevice {
  type: 'c' | 'b' | 'u' | 'p';
  path: string;
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface OciDeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

export interface OciResources {
  devices: OciDeviceRule[];
  memory?: { limit: number };
  cpu?: { quota: number; period: number };
  pids?: { limit: number };
}

export interface OciSeccompArg {
  index: number;
  value: Uint64;
  valueTwo?: Uint64;
  op: string;
}

export interface OciSeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  flags?: string[];
  syscalls: OciSeccompSyscall[];
}

export interface OciLinux {
  namespaces: OciNamespace[];
  maskedPaths: string[];
  readonlyPaths: string[];
  devices?: OciDevice[];
  resources?: OciResources;
  cgroupsPath?: string;
  seccomp?: OciSeccomp;
}

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: OciLinux;
}

/**
 * JSON text of a spec. JSON.stringify cannot write a bigint, and a uint64 written as a float
 * (RLIM_INFINITY becomes 18446744073709552000) is refused by the runtime's Go decoder, so
 * bigints are written as their exact digits.
 */
export function specToJson(spec: OciSpec, indent = 0): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(
    spec,
    (_key, value: unknown) => (typeof value === 'bigint' ? `${marker}${value.toString()}` : value),
    indent,
  );
  return text.replace(/"\\u0000bigint:(\d+)"/g, '$1');
}
