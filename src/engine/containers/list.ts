import { join } from 'node:path';
import { familiarName, parseReference } from '../../image/reference.js';
import { BerthError } from '../../util/errors.js';
import { type Container, type ContainerEngine, reconcile } from './common.js';
import { inspectMounts } from './mounts.js';
import { inspectNetwork } from './network.js';

/** ps and inspect: what Docker shows of containers. */

export interface PsOptions {
  all?: boolean;
  last?: number;
  latest?: boolean;
  filters?: string[];
}

type Filter = { key: string; value: string };

const statusNames = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

/** Docker's status words for a record. */
export function dockerStatus(rec: Container): string {
  switch (rec.state.status) {
    case 'stopping':
      return 'running';
    default:
      return rec.state.status;
  }
}

export function parsePsFilters(filters: string[]): Filter[] {
  return filters.map((f) => {
    const i = f.indexOf('=');
    if (i <= 0) throw new BerthError(`invalid filter "${f}": want key=value`);
    const key = f.slice(0, i);
    const value = f.slice(i + 1);
    if (!['name', 'id', 'status', 'label', 'ancestor', 'exited'].includes(key)) {
      throw new BerthError(`invalid filter "${key}": supported: name, id, status, label, ancestor, exited`);
    }
    if (key === 'status' && !statusNames.includes(value)) {
      throw new BerthError(`invalid filter "status=${value}": want one of ${statusNames.join(', ')}`);
    }
    if (key === 'exited' && !/^-?\d+$/.test(value))
      throw new BerthError(`invalid filter "exited=${value}": want an exit code`);
    return { key, value };
  });
}

function matches(rec: Container, f: Filter, imageNames: (id: string) => string[]): boolean {
  switch (f.key) {
    case 'name':
      return new RegExp(f.value).test(rec.name);
    case 'id':
      return rec.id.startsWith(f.value);
    case 'status':
      return dockerStatus(rec) === f.value;
    case 'label': {
      const i = f.value.indexOf('=');
      const labels = rec.config.labels;
      return i < 0 ? f.value in labels : labels[f.value.slice(0, i)] === f.value.slice(i + 1);
    }
    case 'ancestor': {
      if (rec.imageId.startsWith(f.value.replace(/^sha256:/, ''))) return true;
      const names = [rec.imageRef, ...imageNames(rec.imageId)];
      return names.some((n) => {
        try {
          const a = familiarName(parseReference(n));
          const want = familiarName(parseReference(f.value));
          return a === want || a.split(':')[0] === want;
        } catch {
          return n === f.value;
        }
      });
    }
    case 'exited':
      return rec.state.status === 'exited' && rec.state.exitCode === Number(f.value);
  }
  return false;
}

/** Containers for ps: newest first; filters of the same key OR together, different keys AND. */
export async function listContainers(e: ContainerEngine, opts: PsOptions): Promise<Container[]> {
  const filters = parsePsFilters(opts.filters ?? []);
  let recs = await reconcile(e);
  // The image store is only needed to match ancestor= filters by name.
  const images = filters.some((f) => f.key === 'ancestor') ? await (await e.images()).listImages() : [];
  const imageNames = (id: string) => images.find((i) => i.id === id)?.names ?? [];
  recs.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  if (opts.latest) recs = recs.slice(0, 1);
  else if (opts.last !== undefined && opts.last >= 0) recs = recs.slice(0, opts.last);
  else if (!opts.all && !filters.some((f) => f.key === 'status' || f.key === 'exited')) {
    recs = recs.filter(
      (r) => r.state.status === 'running' || r.state.status === 'paused' || r.state.status === 'stopping',
    );
  }
  const byKey = new Map<string, Filter[]>();
  for (const f of filters) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  return recs.filter((r) => [...byKey.values()].every((fs) => fs.some((f) => matches(r, f, imageNames))));
}

/** Docker's `container inspect` JSON. */
export function inspectContainer(e: ContainerEngine, rec: Container): Record<string, unknown> {
  const p = e.containers.paths(rec.id);
  const c = rec.config;
  const net = inspectNetwork(rec);
  const st = rec.state;
  const running = st.status === 'running' || st.status === 'stopping' || st.status === 'paused';
  const zero = '0001-01-01T00:00:00Z';
  return {
    Id: rec.id,
    Created: rec.created,
    Path: c.processArgs[0] ?? '',
    Args: c.processArgs.slice(1),
    State: {
      Status: dockerStatus(rec),
      Running: running,
      Paused: st.status === 'paused',
      Restarting: false,
      OOMKilled: st.oomKilled,
      Dead: false,
      Pid: running ? st.pid : 0,
      ExitCode: st.exitCode,
      Error: st.error ?? '',
      StartedAt: st.startedAt ?? zero,
      FinishedAt: st.finishedAt ?? zero,
    },
    Image: `sha256:${rec.imageId}`,
    ResolvConfPath: `${p.userdata}/resolv.conf`,
    HostnamePath: `${p.userdata}/hostname`,
    HostsPath: `${p.userdata}/hosts`,
    LogPath: p.log,
    Name: `/${rec.name}`,
    RestartCount: st.restartCount,
    Driver: rec.driver,
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    HostConfig: {
      AutoRemove: c.autoRemove,
      RestartPolicy: { Name: c.restartPolicy.name, MaximumRetryCount: c.restartPolicy.maximumRetryCount },
      Privileged: c.options.privileged,
      ReadonlyRootfs: c.options.readOnly,
      CapAdd: c.options.capAdd.length ? c.options.capAdd : null,
      CapDrop: c.options.capDrop.length ? c.options.capDrop : null,
      SecurityOpt: c.options.securityOpt.length
        ? c.options.securityOpt.map((s) =>
            s.startsWith('seccomp=') && s.length > 60 ? 'seccomp=<profile>' : s,
          )
        : null,
      Tmpfs: c.options.tmpfs.length
        ? Object.fromEntries(
            c.options.tmpfs.map((t) => {
              const i = t.indexOf(':');
              return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1)];
            }),
          )
        : null,
      Ulimits: c.options.ulimits.length ? c.options.ulimits : null,
      Init: c.options.init !== undefined,
      NetworkMode: net.NetworkMode,
      PortBindings: net.PortBindings,
      LogConfig: { Type: 'k8s-file', Config: {} },
    },
    Mounts: inspectMounts(c.options.mounts, {
      userdata: p.userdata,
      volumesDir: join(e.ctx.paths.root, 'volumes'),
    }),
    Config: {
      Hostname: c.hostname,
      Domainname: '',
      User: c.user,
      AttachStdin: c.interactive,
      AttachStdout: true,
      AttachStderr: true,
      Tty: c.tty,
      OpenStdin: c.interactive,
      StdinOnce: false,
      Env: c.env,
      Cmd: c.cmd.length ? c.cmd : null,
      Image: rec.imageRef,
      Volumes: null,
      WorkingDir: c.workdir,
      Entrypoint: c.entrypoint.length ? c.entrypoint : null,
      OnBuild: null,
      Labels: c.labels,
      Annotations: c.annotations,
      StopSignal: c.stopSignal,
      StopTimeout: c.stopTimeout,
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: '',
      HairpinMode: false,
      SandboxKey: '',
      ...net.settings,
      MacAddress: '',
      Networks: {},
    },
  };
}
