import { findExecutable } from '../sys/host.js';

export type NetworkBackend = 'slirp4netns' | 'pasta';

export interface NetworkBackends {
  slirp4netns?: string;
  pasta?: string;
  /** The default for rootless containers. */
  default?: NetworkBackend;
}

/** slirp4netns is the default; pasta is used only when selected (see issue on networking). */
export function findNetworkBackends(): NetworkBackends {
  const slirp4netns = findExecutable('slirp4netns');
  const pasta = findExecutable('pasta');
  return { slirp4netns, pasta, default: slirp4netns ? 'slirp4netns' : pasta ? 'pasta' : undefined };
}
