import { BerthError } from '../util/errors.js';

/** The OCI/Docker image configuration blob, as far as berth reads it. */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  [key: string]: unknown;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  config?: ContainerConfig;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
  [key: string]: unknown;
}

const digestRe = /^sha256:[a-f0-9]{64}$/;

/** Parses and checks a config blob: the diff ids must be there, one per layer. */
export function parseImageConfig(bytes: Buffer | string, layerCount: number, what: string): ImageConfig {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString());
  } catch (e) {
    throw new BerthError(`${what}: config is not valid JSON: ${(e as Error).message}`);
  }
  const c = v as Partial<ImageConfig>;
  if (!c || typeof c !== 'object' || !c.rootfs || !Array.isArray(c.rootfs.diff_ids)) {
    throw new BerthError(`${what}: config has no rootfs.diff_ids`);
  }
  if (c.rootfs.diff_ids.length !== layerCount) {
    throw new BerthError(
      `${what}: config lists ${c.rootfs.diff_ids.length} layers but the manifest has ${layerCount}`,
    );
  }
  for (const d of c.rootfs.diff_ids) {
    if (typeof d !== 'string' || !digestRe.test(d))
      throw new BerthError(`${what}: invalid diff id ${JSON.stringify(d)}`);
  }
  return { ...c, architecture: c.architecture ?? '', os: c.os ?? '' } as ImageConfig;
}
