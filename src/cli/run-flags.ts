import type { OptionDef, ParsedArgs } from './command.js';
import { platformFlag, tlsVerifyFlag } from './flags.js';

/** Flags shared by `create` and `run`, and their conversion into the engine's create options. */
export const createFlags: Record<string, OptionDef> = {
  name: { type: 'string', describe: 'Assign a name to the container', valueName: 'string' },
  replace: { type: 'boolean', describe: 'If a container with the same name exists, replace it' },
  env: {
    type: 'strings',
    short: 'e',
    describe: 'Set environment variables (KEY=VALUE, or KEY to pass it through)',
    valueName: 'list',
  },
  'env-file': {
    type: 'strings',
    describe: 'Read in a file of environment variables',
    valueName: 'list',
    complete: 'file',
  },
  workdir: {
    type: 'string',
    short: 'w',
    describe: 'Working directory inside the container',
    valueName: 'string',
  },
  user: {
    type: 'string',
    short: 'u',
    describe: 'Username or UID (format: <name|uid>[:<group|gid>])',
    valueName: 'string',
  },
  entrypoint: {
    type: 'string',
    describe: 'Overwrite the default ENTRYPOINT of the image',
    valueName: 'string',
  },
  hostname: { type: 'string', short: 'h', describe: 'Container host name', valueName: 'string' },
  interactive: { type: 'boolean', short: 'i', describe: 'Keep STDIN open even if not attached' },
  tty: { type: 'boolean', short: 't', describe: 'Allocate a pseudo-TTY' },
  pull: {
    type: 'string',
    describe: 'Pull image before running',
    valueName: 'string',
    choices: ['always', 'missing', 'never', 'newer'],
    default: 'missing',
  },
  platform: platformFlag,
  'tls-verify': tlsVerifyFlag,
  label: {
    type: 'strings',
    short: 'l',
    describe: 'Set meta data on a container (KEY=VALUE)',
    valueName: 'list',
  },
  annotation: {
    type: 'strings',
    describe: 'Add an annotation to the container (KEY=VALUE)',
    valueName: 'list',
  },
  'cap-add': { type: 'strings', describe: 'Add Linux capabilities', valueName: 'list' },
  'cap-drop': { type: 'strings', describe: 'Drop Linux capabilities', valueName: 'list' },
  privileged: { type: 'boolean', describe: 'Give extended privileges to this container' },
  'read-only': { type: 'boolean', describe: "Mount the container's root filesystem as read only" },
  tmpfs: { type: 'strings', describe: 'Mount a tmpfs directory (PATH[:OPTIONS])', valueName: 'list' },
  'security-opt': {
    type: 'strings',
    describe: 'Security options: no-new-privileges, seccomp=unconfined|FILE',
    valueName: 'list',
  },
  ulimit: { type: 'strings', describe: 'Ulimit options (e.g. nofile=1024:2048)', valueName: 'list' },
  init: {
    type: 'boolean',
    describe: 'Run an init inside the container that forwards signals and reaps processes',
  },
  restart: {
    type: 'string',
    describe: 'Restart policy: no, on-failure[:max-retries], always, unless-stopped',
    valueName: 'string',
    default: 'no',
  },
  'stop-signal': { type: 'string', describe: 'Signal to stop the container', valueName: 'string' },
  'stop-timeout': { type: 'number', describe: 'Timeout (in seconds) to stop a container', valueName: 'int' },
  rm: { type: 'boolean', describe: 'Automatically remove the container when it exits' },
  network: {
    type: 'string',
    describe: 'Network mode: slirp4netns[:OPTIONS], pasta, none, host, container:NAME',
    valueName: 'mode',
  },
  net: { type: 'string', describe: 'Alias of --network', valueName: 'mode', hidden: true },
  publish: {
    type: 'strings',
    short: 'p',
    describe: "Publish a container's port to the host ([IP:][HOSTPORT:]CPORT[/PROTO])",
    valueName: 'list',
  },
  'publish-all': { type: 'boolean', short: 'P', describe: 'Publish all exposed ports to random host ports' },
  dns: { type: 'strings', describe: 'Set custom DNS servers', valueName: 'list' },
  'dns-search': { type: 'strings', describe: 'Set custom DNS search domains', valueName: 'list' },
  'dns-option': { type: 'strings', describe: 'Set DNS options', valueName: 'list' },
  'add-host': { type: 'strings', describe: 'Add a custom host-to-IP mapping (HOST:IP)', valueName: 'list' },
  volume: {
    type: 'strings',
    short: 'v',
    describe: 'Bind mount a volume (SRC:DEST[:OPTS], NAME:DEST, or DEST)',
    valueName: 'list',
  },
  mount: {
    type: 'strings',
    describe: 'Attach a filesystem mount (type=bind|volume|tmpfs,...)',
    valueName: 'mount',
  },
  'volumes-from': {
    type: 'strings',
    describe: 'Mount volumes from the specified container(s)',
    valueName: 'list',
  },
};

function keyValues(
  list: string[],
  what: string,
  BerthError: typeof import('../util/errors.js').BerthError,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    const k = i < 0 ? item : item.slice(0, i);
    if (!k) throw new BerthError(`invalid ${what} "${item}": the key is empty`);
    out[k] = i < 0 ? '' : item.slice(i + 1);
  }
  return out;
}

/** Reads the files flags name (--env-file, seccomp profiles) and builds the create options. */
export async function createOptionsFrom(args: ParsedArgs, image: string, command: string[]) {
  const [{ readFile }, { BerthError }, { parseEnvFile }, { defaultRunOptions }, { parseTmpfs }] =
    await Promise.all([
      import('node:fs/promises'),
      import('../util/errors.js'),
      import('../spec/env.js'),
      import('../spec/options.js'),
      import('../spec/mounts.js'),
    ]);
  const envFile: string[] = [];
  for (const f of args.strs('env-file')) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (e) {
      throw new BerthError(
        `reading env file ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
      );
    }
    envFile.push(...parseEnvFile(text, (k) => process.env[k], f));
  }
  const securityOpt: string[] = [];
  for (const s of args.strs('security-opt')) {
    const m = /^seccomp[=:](.+)$/.exec(s);
    if (m && m[1] !== 'unconfined') {
      try {
        securityOpt.push(`seccomp=${await readFile(m[1], 'utf8')}`);
      } catch (e) {
        throw new BerthError(`opening seccomp profile ${m[1]}: ${(e as Error).message}`);
      }
    } else securityOpt.push(s);
  }
  for (const t of args.strs('tmpfs')) parseTmpfs(t); // bad specs fail before anything is made
  const run = defaultRunOptions({
    args: command,
    entrypoint: args.given.has('entrypoint') ? (args.str('entrypoint') ?? '') : undefined,
    env: args.strs('env'),
    envFile,
    workdir: args.str('workdir'),
    user: args.str('user'),
    hostname: args.str('hostname'),
    tty: args.bool('tty'),
    interactive: args.bool('interactive'),
    readOnly: args.bool('read-only'),
    privileged: args.bool('privileged'),
    capAdd: args.strs('cap-add'),
    capDrop: args.strs('cap-drop'),
    securityOpt,
    ulimits: args.strs('ulimit'),
    tmpfs: args.strs('tmpfs'),
    init: args.bool('init') ? '' : undefined,
    labels: keyValues(args.strs('label'), 'label', BerthError),
    annotations: keyValues(args.strs('annotation'), 'annotation', BerthError),
    mounts: [],
    network: { mode: 'private' },
  });
  return {
    image,
    name: args.str('name'),
    replace: args.bool('replace'),
    pull: args.str('pull') as 'always' | 'missing' | 'never' | 'newer',
    platform: args.str('platform'),
    tlsVerify: args.given.has('tls-verify') ? args.bool('tls-verify') : undefined,
    run,
    restart: args.str('restart'),
    autoRemove: args.bool('rm'),
    stopSignal: args.str('stop-signal'),
    stopTimeout: args.num('stop-timeout'),
    network: {
      mode: args.str('network') ?? args.str('net'),
      publish: args.strs('publish'),
      publishAll: args.bool('publish-all'),
      dns: args.strs('dns'),
      dnsSearch: args.strs('dns-search'),
      dnsOption: args.strs('dns-option'),
      addHost: args.strs('add-host'),
    },
    mountRequest: {
      volumes: args.strs('volume'),
      mounts: args.strs('mount'),
      volumesFrom: args.strs('volumes-from'),
    },
  };
}
