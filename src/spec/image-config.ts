/**
 * The part of an image's OCI/Docker config (the `config` object of the config blob) that a
 * container's spec depends on. Field names are the blob's own.
 */
export interface ImageConfig {
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined;
}

function stringRecord(v: unknown): Record<string, string> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function keySet(v: unknown): Record<string, object> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, object> = {};
  for (const k of Object.keys(v)) out[k] = {};
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The ImageConfig of a parsed config blob (`{ architecture, os, config: {...}, rootfs }`).
 * Ill-typed fields are dropped rather than trusted: the blob comes from a registry.
 */
export function imageConfigFromBlob(blob: unknown): ImageConfig {
  const config = (blob as { config?: unknown } | null)?.config;
  if (config === null || typeof config !== 'object') return {};
  const c = config as Record<string, unknown>;
  const out: ImageConfig = {};
  const set = <K extends keyof ImageConfig>(key: K, value: ImageConfig[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('Env', stringList(c.Env));
  set('Entrypoint', stringList(c.Entrypoint));
  set('Cmd', stringList(c.Cmd));
  set('WorkingDir', str(c.WorkingDir));
  set('User', str(c.User));
  set('Labels', stringRecord(c.Labels));
  set('StopSignal', str(c.StopSignal));
  set('ExposedPorts', keySet(c.ExposedPorts));
  set('Volumes', keySet(c.Volumes));
  return out;
}
