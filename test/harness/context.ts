import { inject } from 'vitest';
import type { BerthUser } from './user.js';

/** One layer of a pushed test image. */
export interface TestLayerInfo {
  digest: string;
  mediaType: string;
  size: number;
  /** sha256 of the uncompressed tar, as in the config's rootfs.diff_ids. */
  diffId: string;
}

/** A single-platform image pushed by the harness. */
export interface TestImageInfo {
  /** Full reference, `<registry>/<repository>:<tag>` (or `@<digest>` for an index's platforms). */
  ref: string;
  repository: string;
  tag: string;
  /** Manifest digest. */
  digest: string;
  mediaType: string;
  configDigest: string;
  layers: TestLayerInfo[];
}

export interface TestPlatformInfo extends TestImageInfo {
  architecture: string;
  variant?: string;
}

/** An OCI index pushed by the harness. */
export interface TestIndexInfo {
  ref: string;
  repository: string;
  tag: string;
  digest: string;
  mediaType: string;
  platforms: TestPlatformInfo[];
}

export interface TestImages {
  /** Docker schema2 manifest, gzip layer: busybox-static, passwd with tester (1000). */
  busybox: TestImageInfo;
  /** busybox + a layer with a .wh. whiteout (/etc/motd-to-delete), an opaque /opt/data, /layer2.txt. */
  busyboxLayered: TestImageInfo;
  /** OCI manifest and config, gzip layer. */
  busyboxOci: TestImageInfo;
  /** OCI, zstd layer. */
  busyboxZstd: TestImageInfo;
  /** OCI, uncompressed layer. */
  busyboxPlain: TestImageInfo;
  /** OCI index: linux/amd64 and linux/arm64/v8, each with /arch naming its architecture. */
  multiarch: TestIndexInfo;
  /** busybox + /data/www (33:33), /data/u1000 (1000:1000), a hard link, a symlink, a 4755 file, a file capability. */
  owners: TestImageInfo;
  /** busybox:latest on the htpasswd registry as `<authRegistry>/private/busybox:latest`. */
  privateBusybox: TestImageInfo;
}

/** What global-setup hands to every integration test file. */
export interface HarnessContext {
  repoRoot: string;
  /** True when the tests run as root (and berth() switches to the test user). */
  isRoot: boolean;
  /** The unprivileged user berth() runs as by default. */
  user: BerthUser;
  /** XDG_RUNTIME_DIR given to that user. */
  runtimeDir: string;
  /** Anonymous registry, `127.0.0.1:<port>`, plain HTTP. */
  registry: string;
  /** Registry that requires HTTP basic auth with authUser / authPassword. */
  authRegistry: string;
  authUser: string;
  authPassword: string;
  images: TestImages;
}

declare module 'vitest' {
  export interface ProvidedContext {
    berthHarness: HarnessContext;
  }
}

/** The harness context, inside a test file. */
export function harness(): HarnessContext {
  return inject('berthHarness');
}
