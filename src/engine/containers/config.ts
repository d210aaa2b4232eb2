import type { RunOptions } from '../../spec/options.js';
import type { NetworkConfig } from './network.js';

/** What a container was created with: kept in its record for start, restart and inspect. */
export interface RestartPolicy {
  name: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  maximumRetryCount: number;
}

export interface ContainerConfig {
  options: RunOptions;
  /** Full image name as resolved (`registry/repo:tag`), for inspect's Config.Image. */
  imageName: string;
  /** process.args as generated: Path is the first. */
  processArgs: string[];
  env: string[];
  workdir: string;
  user: string;
  hostname: string;
  tty: boolean;
  interactive: boolean;
  autoRemove: boolean;
  restartPolicy: RestartPolicy;
  stopSignal: string;
  stopTimeout: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  network: NetworkConfig;
  /** Volumes made for this container alone, and named ones it uses. */
  anonymousVolumes: string[];
  namedVolumes: string[];
  /** The image's entrypoint and cmd as they were used. */
  entrypoint: string[];
  cmd: string[];
}

/** Pure: `--restart` values. */
export function parseRestartPolicy(spec: string | undefined): RestartPolicy {
  const s = spec ?? 'no';
  const [name, count] = s.split(':');
  if (name === 'no' || name === 'always' || name === 'unless-stopped') {
    if (count !== undefined) throw new Error(`invalid restart policy "${s}": only on-failure takes a count`);
    return { name, maximumRetryCount: 0 };
  }
  if (name === 'on-failure') {
    const n = count === undefined ? 0 : Number(count);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`invalid restart policy "${s}": the count must be a whole number`);
    return { name, maximumRetryCount: n };
  }
  throw new Error(`invalid restart policy "${s}": want no, always, unless-stopped or on-failure[:N]`);
}

/** Pure: does the policy restart a container that exited with `exitCode`? */
export function shouldRestart(
  policy: RestartPolicy,
  state: { exitCode: number; restartCount: number; stoppedByUser?: boolean },
): boolean {
  if (state.stoppedByUser) return false;
  switch (policy.name) {
    case 'no':
      return false;
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return (
        state.exitCode !== 0 &&
        (policy.maximumRetryCount === 0 || state.restartCount < policy.maximumRetryCount)
      );
  }
}
