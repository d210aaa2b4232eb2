import { arch, hostname, platform, release } from 'node:os';
import { findNetworkBackends } from '../network/detect.js';
import { chooseRuntime, findRuntimes, toolVersion } from '../runtime/detect.js';
import { chooseStorageDriver } from '../storage/driver-probe.js';
import { cgroupMode, type IdMapEntry, readIdMaps } from '../sys/host.js';
import { errorMessage } from '../util/errors.js';
import { VERSION } from '../version.js';
import type { EngineContext } from './context.js';

export interface InfoReport {
  host: {
    os: string;
    arch: string;
    kernel: string;
    hostname: string;
    cgroupVersion: string;
    cgroupManager: string;
    rootless: boolean;
    uid: number;
    gid: number;
    /** 'full' over subuid/subgid ranges, 'single' when the user has none, 'none' as root. */
    userNamespace: string;
    idMappings: { uidmap: IdMapEntry[]; gidmap: IdMapEntry[] };
    ociRuntime: { name?: string; path?: string; version?: string; reason: string };
    ociRuntimesFound: Record<string, string>;
    network: {
      backend?: string;
      slirp4netns?: { path: string; version?: string };
      pasta?: { path: string; version?: string };
    };
    catatonit?: string;
  };
  store: {
    graphRoot: string;
    runRoot: string;
    configDir: string;
    graphDriverName: string;
    graphDriverReason: string;
  };
  version: { berth: string; node: string };
}

const goArch: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export async function info(ctx: EngineContext): Promise<InfoReport> {
  const found = findRuntimes();
  const mode = cgroupMode();
  let ociRuntime: InfoReport['host']['ociRuntime'];
  try {
    const c = chooseRuntime(found, mode);
    ociRuntime = { name: c.name, path: c.path, version: await toolVersion(c.path), reason: c.reason };
  } catch (e) {
    ociRuntime = { reason: errorMessage(e) };
  }
  const net = findNetworkBackends();
  const [slirpVersion, pastaVersion, driver] = await Promise.all([
    net.slirp4netns ? toolVersion(net.slirp4netns) : undefined,
    net.pasta ? toolVersion(net.pasta) : undefined,
    chooseStorageDriver({
      root: ctx.paths.root,
      runRoot: ctx.paths.runRoot,
      rootless: ctx.identity.rootless,
      requested: ctx.storageDriver,
    }).catch((e) => ({ driver: 'unknown', reason: errorMessage(e) })),
  ]);
  const maps = readIdMaps();
  return {
    host: {
      os: platform(),
      arch: goArch[arch()] ?? arch(),
      kernel: release(),
      hostname: hostname(),
      cgroupVersion: mode === 'v2' ? 'v2' : mode === 'hybrid' ? 'v1 (hybrid, with a v2 hierarchy)' : mode,
      cgroupManager: 'cgroupfs',
      rootless: ctx.identity.rootless,
      uid: ctx.identity.uid,
      gid: ctx.identity.gid,
      userNamespace: ctx.identity.rootless ? (process.env.BERTH_USERNS ?? 'unknown') : 'none',
      idMappings: { uidmap: maps.uidMap, gidmap: maps.gidMap },
      ociRuntime,
      ociRuntimesFound: found as Record<string, string>,
      network: {
        backend: net.default,
        slirp4netns: net.slirp4netns ? { path: net.slirp4netns, version: slirpVersion } : undefined,
        pasta: net.pasta ? { path: net.pasta, version: pastaVersion } : undefined,
      },
    },
    store: {
      graphRoot: ctx.paths.root,
      runRoot: ctx.paths.runRoot,
      configDir: ctx.paths.configDir,
      graphDriverName: driver.driver,
      graphDriverReason: driver.reason,
    },
    version: { berth: VERSION, node: process.version },
  };
}
