import { lstat, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseNormalized, formatReference } from '../../image/reference.js';
import { generateSpec, effectiveUserSpec } from '../../spec/generate.js';
import { imageConfigFromBlob, type ImageConfig } from '../../spec/image-config.js';
import { specToJson } from '../../spec/oci.js';
import type { RunOptions } from '../../spec/options.js';
import { goArch } from '../../spec/seccomp.js';
import { resolveUser } from '../../spec/user.js';
import { findExecutable } from '../../sys/host.js';
import { hostRlimits } from '../../sys/rlimits.js';
import { mountRootfs, unmountRootfs } from '../../storage/mount.js';
import type { ImageRecord } from '../../storage/store.js';
import { BerthError, errorMessage } from '../../util/errors.js';
import { debug } from '../../util/log.js';
import { trace } from '../../util/trace.js';
import { findImage, noSuchImage } from '../images.js';
import type { PullProgress } from '../progress.js';
import type { Container, ContainerEngine } from './common.js';
import { type ContainerConfig, parseRestartPolicy } from './config.js';
import { generateName } from './names.js';
import {
  discardMounts,
  emptyMountRequest,
  type MountRequest,
  type PreparedMounts,
  prepareMounts,
} from './mounts.js';
import {
  emptyNetworkRequest,
  type NetworkRequest,
  networkFiles,
  parseNetworkMode,
  planNetwork,
} from './network.js';
import { parsePublish } from '../../network/ports.js';
import { parseMountRequests, parseVolumesFrom } from '../../spec/mount-requests.js';
import { removeContainer } from './remove.js';

export interface CreateOptions {
  image: string;
  name?: string;
  replace?: boolean;
  pull?: 'always' | 'missing' | 'never' | 'newer';
  platform?: string;
  tlsVerify?: boolean;
  /** What the user asked for; rootless and host limits are filled in here. */
  run: Omit<RunOptions, 'rootless' | 'hostRlimits'>;
  restart?: string;
  autoRemove?: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  progress?: PullProgress;
  network?: NetworkRequest;
  mountRequest?: MountRequest;
}

async function resolveImageForRun(e: ContainerEngine, opts: CreateOptions): Promise<ImageRecord> {
  const store = await e.images();
  const policy = opts.pull ?? 'missing';
  let img = policy === 'always' ? undefined : await findImage(store, opts.image);
  if (!img) {
    if (policy === 'never') throw noSuchImage(opts.image);
    // The registry client is big: load it only when a pull is needed.
    const { pullImage } = await import('../pull.js');
    const [report] = await pullImage(e.ctx, {
      reference: opts.image,
      platform: opts.platform,
      tlsVerify: opts.tlsVerify,
      progress: opts.progress,
    });
    img = (await store.getImage(report.id)) ?? undefined;
    if (!img) throw noSuchImage(opts.image);
  }
  return img;
}

/** Reads a file of the container's rootfs without following a symlink out of it. */
async function readRootfsFile(rootfs: string, rel: string): Promise<string | undefined> {
  const path = join(rootfs, rel);
  try {
    const st = await lstat(path);
    if (!st.isFile() || st.size > 4 << 20) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function signalName(s: string | undefined): string {
  if (!s) return 'SIGTERM';
  const up = s.toUpperCase();
  if (/^\d+$/.test(up)) return up;
  return up.startsWith('SIG') ? up : `SIG${up}`;
}

/** Bad network or mount flags fail before anything is pulled or made. */
function checkRequests(opts: CreateOptions): void {
  if (opts.network) {
    parseNetworkMode(opts.network.mode);
    for (const p of opts.network.publish) parsePublish(p);
  }
  if (opts.mountRequest) {
    parseMountRequests(opts.mountRequest);
    for (const v of opts.mountRequest.volumesFrom) parseVolumesFrom(v);
  }
}

/**
 * Creates a container: its record (incomplete until the end), a mounted rootfs, and the OCI
 * bundle. Anything that fails takes everything made so far with it.
 */
export async function createContainer(e: ContainerEngine, opts: CreateOptions): Promise<Container> {
  const ctx = e.ctx;
  if (opts.name !== undefined) {
    const { validateName } = await import('../../storage/containers.js');
    validateName(opts.name);
  }
  const restartPolicy = (() => {
    try {
      return parseRestartPolicy(opts.restart);
    } catch (err) {
      throw new BerthError(errorMessage(err));
    }
  })();
  if (opts.autoRemove && restartPolicy.name !== 'no') {
    throw new BerthError('the --rm option conflicts with --restart (other than "no")');
  }
  trace('create: start');
  checkRequests(opts);
  const img = await resolveImageForRun(e, opts);
  trace('create: image resolved');
  const store = await e.images();
  const blob = JSON.parse((await store.readBlob(img.configDigest)).toString());
  const image: ImageConfig = imageConfigFromBlob(blob);

  if (opts.name && opts.replace) {
    const old = await e.containers.find(opts.name);
    if (old) await removeContainer(e, old.id, { force: true });
    else {
      const dangling = await e.containers.danglingName(opts.name);
      if (dangling) await e.containers.releaseName(opts.name, dangling);
    }
  } else if (opts.name) {
    // A name left by a create that was killed before its record existed: take it back.
    const dangling = await e.containers.danglingName(opts.name);
    if (dangling) await e.containers.releaseName(opts.name, dangling);
  }
  const taken = new Set((await e.containers.list({ includeIncomplete: true })).map((c) => c.name));
  const name = opts.name ?? generateName((n) => taken.has(n));
  const id = e.containers.newId();
  const driver = await e.driver();
  const run: RunOptions = { ...opts.run, rootless: ctx.identity.rootless, hostRlimits: hostRlimits() };
  if (run.init === '') {
    const init = findExecutable('catatonit') ?? findExecutable('tini') ?? findExecutable('tini-static');
    if (!init)
      throw new BerthError('--init: no init binary found', {
        hint: 'install catatonit (apt-get install catatonit)',
      });
    run.init = init;
  }
  const hostname = run.hostname ?? id.slice(0, 12);
  const net = await planNetwork(e, opts.network ?? emptyNetworkRequest(), {
    exposedPorts: Object.keys(image.ExposedPorts ?? {}),
  });
  run.network = net.spec;
  const imageName =
    img.names[0] ??
    (() => {
      try {
        return formatReference(parseNormalized(opts.image));
      } catch {
        return opts.image;
      }
    })();
  trace('create: names listed, driver chosen');
  const rec = await e.containers.create<ContainerConfig>({
    id,
    name,
    imageRef: opts.image,
    imageId: img.id,
    layers: img.layers,
    driver,
    created: new Date().toISOString(),
    config: undefined as unknown as ContainerConfig,
    state: { status: 'created', pid: 0, exitCode: 0, oomKilled: false, restartCount: 0 },
  });
  const p = e.containers.paths(id);
  let prepared: PreparedMounts | undefined;
  try {
    const lowerDirs = await store.layerDiffPaths([...img.layers].reverse());
    await mountRootfs({
      driver,
      storeRoot: ctx.paths.root,
      lowerDirs,
      upperDir: p.upper,
      workDir: p.work,
      target: p.rootfs,
      rootless: ctx.identity.rootless,
    });
    trace('create: rootfs mounted');
    const userSpec = effectiveUserSpec(run, image);
    const user = resolveUser(userSpec, {
      passwd: await readRootfsFile(p.rootfs, 'etc/passwd'),
      group: await readRootfsFile(p.rootfs, 'etc/group'),
    });
    prepared = await prepareMounts(e, opts.mountRequest ?? emptyMountRequest(), {
      id,
      rootfs: p.rootfs,
      imageVolumes: Object.keys(image.Volumes ?? {}),
      user,
    });
    run.mounts.push(...prepared.mounts);
    const files = networkFiles(
      net.config,
      hostname,
      await readFile('/etc/resolv.conf', 'utf8').catch(() => ''),
    );
    await writeFile(join(p.userdata, 'hostname'), `${hostname}\n`);
    await writeFile(join(p.userdata, 'hosts'), files.hosts);
    await writeFile(join(p.userdata, 'resolv.conf'), files.resolv);
    const bind = (file: string, dest: string) => ({
      type: 'bind' as const,
      source: join(p.userdata, file),
      destination: dest,
      options: ['rbind', 'rprivate'],
    });
    if (!run.mounts.some((m) => m.destination === '/etc/hosts')) run.mounts.push(bind('hosts', '/etc/hosts'));
    if (!run.mounts.some((m) => m.destination === '/etc/hostname'))
      run.mounts.push(bind('hostname', '/etc/hostname'));
    if (!run.mounts.some((m) => m.destination === '/etc/resolv.conf'))
      run.mounts.push(bind('resolv.conf', '/etc/resolv.conf'));
    const spec = generateSpec({
      id,
      options: run,
      image,
      rootfs: p.rootfs,
      hostname,
      user,
      lookupEnv: (k) => process.env[k],
      host: { arch: goArch(process.arch), cgroupV2: false },
      debug,
    });
    spec.annotations = { ...(spec.annotations ?? {}), 'org.berth.name': name };
    await writeFile(join(p.bundle, 'config.json'), specToJson(spec));
    const overridden = run.entrypoint !== undefined;
    rec.config = {
      // Host limits only shape the spec just written (and hold bigints JSON cannot carry).
      options: { ...run, hostRlimits: {} },
      imageName,
      processArgs: spec.process?.args ?? [],
      env: spec.process?.env ?? [],
      workdir: spec.process?.cwd ?? '/',
      user: userSpec,
      hostname,
      tty: run.tty,
      interactive: run.interactive,
      autoRemove: !!opts.autoRemove,
      restartPolicy,
      stopSignal: signalName(opts.stopSignal ?? image.StopSignal),
      stopTimeout: opts.stopTimeout ?? 10,
      labels: { ...(image.Labels ?? {}), ...run.labels },
      annotations: run.annotations,
      network: net.config,
      anonymousVolumes: prepared.anonymousVolumes,
      namedVolumes: prepared.namedVolumes,
      entrypoint: overridden
        ? typeof run.entrypoint === 'string'
          ? run.entrypoint
            ? [run.entrypoint]
            : []
          : (run.entrypoint ?? [])
        : (image.Entrypoint ?? []),
      cmd: run.args.length ? run.args : overridden ? [] : (image.Cmd ?? []),
    };
    trace('create: spec written');
    delete rec.incomplete;
    delete rec.creator;
    await e.containers.write(rec);
    trace('create: done');
    return rec;
  } catch (err) {
    await unmountRootfs(p.rootfs, driver).catch(() => undefined);
    await e.containers.removeFiles(id, name);
    if (prepared) await discardMounts(e, prepared).catch(() => undefined);
    throw err;
  }
}
