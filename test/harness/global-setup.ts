import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { HarnessContext, TestImageInfo, TestImages, TestIndexInfo } from './context.js';
import {
  type BuiltImage,
  type BuiltManifest,
  buildTestImages,
  IMAGE_NAMES,
  type ImageKey,
  isIndex,
} from './images.js';
import { allProcesses, pausePid } from './proc.js';
import { pushImage, type RegistryTarget } from './pusher.js';
import { type RunningRegistry, startRegistry } from './registry.js';
import { berthUser } from './user.js';

/**
 * Once per integration run: two registries (anonymous and htpasswd), the test images pushed to
 * them, and the test user's runtime dir. Teardown stops the registries and the user's pause
 * process, so a run leaves no process behind.
 */

export const AUTH_USER = 'tester';
export const AUTH_PASSWORD = 's3cret-pw';

function imageInfo(registry: string, repository: string, tag: string, img: BuiltManifest): TestImageInfo {
  return {
    ref: `${registry}/${repository}:${tag}`,
    repository,
    tag,
    digest: img.digest,
    mediaType: img.mediaType,
    configDigest: img.config.digest,
    layers: img.layers.map((l) => ({
      digest: l.digest,
      mediaType: l.mediaType,
      size: l.size,
      diffId: l.diffId,
    })),
  };
}

function indexInfo(registry: string, repository: string, tag: string, img: BuiltImage): TestIndexInfo {
  if (!isIndex(img)) throw new Error(`${repository}:${tag} is not an index`);
  return {
    ref: `${registry}/${repository}:${tag}`,
    repository,
    tag,
    digest: img.digest,
    mediaType: img.mediaType,
    platforms: img.children.map((c) => {
      const variant = c.architecture === 'arm64' ? 'v8' : undefined;
      return {
        ...imageInfo(registry, repository, tag, c.image),
        ref: `${registry}/${repository}@${c.image.digest}`,
        architecture: c.architecture,
        ...(variant ? { variant } : {}),
      };
    }),
  };
}

/** The test user's XDG_RUNTIME_DIR: /run/user/<uid> as root; a private temp dir otherwise. */
function prepareRuntimeDir(isRoot: boolean, uid: number, gid: number): { dir: string; temporary: boolean } {
  if (!isRoot) {
    // Not the user's real runtime dir: the tests' pause process must not be the user's own.
    return { dir: mkdtempSync(join(tmpdir(), 'berth-xdg-')), temporary: true };
  }
  const dir = `/run/user/${uid}`;
  mkdirSync(dir, { recursive: true });
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  return { dir, temporary: false };
}

function killPause(runtimeDir: string, isRoot: boolean, uid: number): void {
  const pids = new Set<number>();
  const pid = pausePid(runtimeDir);
  if (pid) pids.add(pid);
  if (isRoot) {
    for (const p of allProcesses()) if (p.uid === uid && p.comm === 'berth-pause') pids.add(p.pid);
  }
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const isRoot = process.getuid!() === 0;
  const user = berthUser();
  const runtime = prepareRuntimeDir(isRoot, user.uid, user.gid);
  const registries: RunningRegistry[] = [];
  const teardown = async () => {
    killPause(runtime.dir, isRoot, user.uid);
    await Promise.all(registries.map((r) => r.stop()));
    if (runtime.temporary) rmSync(runtime.dir, { recursive: true, force: true });
  };
  try {
    const [plain, auth, built] = await Promise.all([
      startRegistry(),
      startRegistry({ htpasswd: { username: AUTH_USER, password: AUTH_PASSWORD } }),
      buildTestImages(),
    ]);
    registries.push(plain, auth);
    const target: RegistryTarget = { addr: plain.addr };
    const authTarget: RegistryTarget = {
      addr: auth.addr,
      auth: { username: AUTH_USER, password: AUTH_PASSWORD },
    };
    const keys = Object.keys(IMAGE_NAMES) as ImageKey[];
    for (const key of keys)
      await pushImage(target, IMAGE_NAMES[key].repository, IMAGE_NAMES[key].tag, built[key]);
    await pushImage(authTarget, 'private/busybox', 'latest', built.busybox);

    const single = (key: Exclude<ImageKey, 'multiarch'>) => {
      const img = built[key];
      if (isIndex(img)) throw new Error(`${key} should be a single image`);
      return imageInfo(plain.addr, IMAGE_NAMES[key].repository, IMAGE_NAMES[key].tag, img);
    };
    const busybox = built.busybox;
    if (isIndex(busybox)) throw new Error('busybox should be a single image');
    const images: TestImages = {
      busybox: single('busybox'),
      busyboxLayered: single('busyboxLayered'),
      busyboxOci: single('busyboxOci'),
      busyboxZstd: single('busyboxZstd'),
      busyboxPlain: single('busyboxPlain'),
      owners: single('owners'),
      multiarch: indexInfo(
        plain.addr,
        IMAGE_NAMES.multiarch.repository,
        IMAGE_NAMES.multiarch.tag,
        built.multiarch,
      ),
      privateBusybox: imageInfo(auth.addr, 'private/busybox', 'latest', busybox),
    };
    const ctx: HarnessContext = {
      repoRoot: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
      isRoot,
      user,
      runtimeDir: runtime.dir,
      registry: plain.addr,
      authRegistry: auth.addr,
      authUser: AUTH_USER,
      authPassword: AUTH_PASSWORD,
      images,
    };
    project.provide('berthHarness', ctx);
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}
