import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { defaultPaths, hostIdentity } from '../sys/paths.js';
import { BerthError, errorMessage } from '../util/errors.js';
import {
  DOCKER_HUB,
  formatName,
  formatReference,
  type ImageReference,
  normalize,
  normalizeName,
  parseReference,
} from './reference.js';

/**
 * containers-registries.conf(5), version 2 (and the deprecated version 1 tables): short-name
 * search and aliases, per-prefix location rewriting, mirrors, insecure and blocked registries.
 * Parsing and resolution are pure; only the loader at the bottom touches the file system.
 */

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled';
export type PullFromMirror = 'all' | 'digest-only' | 'tag-only';

export interface MirrorConfig {
  location: string;
  insecure: boolean;
  pullFromMirror: PullFromMirror;
}

export interface RegistryConfig {
  /** What image names this entry applies to: `host[:port][/path]`, or `*.domain`. */
  prefix: string;
  /** Where matching names are really pulled from; '' keeps the name (only for `*.` prefixes). */
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: MirrorConfig[];
}

/** One file's settings; undefined means "not set here", so a later file does not erase it. */
export interface PartialRegistriesConfig {
  file: string;
  unqualifiedSearchRegistries?: string[];
  shortNameMode?: ShortNameMode;
  /** An empty value erases an alias set by an earlier file. */
  aliases: Record<string, string>;
  registries: RegistryConfig[];
}

export interface RegistriesConfig {
  unqualifiedSearchRegistries: string[];
  /** Unset means permissive, as containers-registries.conf(5) says. */
  shortNameMode?: ShortNameMode;
  aliases: Record<string, string>;
  /** Which file set each alias, for messages. */
  aliasSources: Record<string, string>;
  registries: RegistryConfig[];
  /** The files that were read, in order. */
  files: string[];
}

export function emptyRegistriesConfig(): RegistriesConfig {
  return { unqualifiedSearchRegistries: [], aliases: {}, aliasSources: {}, registries: [], files: [] };
}

function configError(file: string, why: string, line?: number): BerthError {
  const where = line === undefined ? file : `${file}, line ${line}`;
  return new BerthError(`reading registries configuration ${where}: ${why}`);
}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function field<T>(
  file: string,
  t: Table,
  key: string,
  kind: 'string' | 'boolean',
  where: string,
): T | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (typeof v !== kind) throw configError(file, `${where}${key} must be a ${kind}`);
  return v as T;
}

function stringArray(file: string, t: Table, key: string, where: string): string[] | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw configError(file, `${where}${key} must be an array of strings`);
  }
  return v as string[];
}

/** containers/image's parseLocation: no URL schemes, no trailing slash. */
function cleanLocation(file: string, location: string): string {
  if (/^https?:\/\//.test(location)) {
    throw configError(file, `invalid location ${JSON.stringify(location)}: URI schemes are not supported`);
  }
  return location.replace(/\/+$/, '');
}

function checkSearchRegistry(file: string, r: string): void {
  let ok = false;
  try {
    ok = parseReference(`${r}/x`).registry === r;
  } catch {
    ok = false;
  }
  if (!ok)
    throw configError(file, `unqualified-search-registries: ${JSON.stringify(r)} is not a registry host`);
}

function checkAlias(file: string, name: string, value: string): void {
  let ref: ImageReference;
  try {
    ref = parseReference(name);
  } catch (e) {
    throw configError(file, `alias ${JSON.stringify(name)}: ${errorMessage(e)}`);
  }
  if (ref.registry !== '' || name.startsWith('localhost/')) {
    throw configError(file, `alias ${JSON.stringify(name)} must be a short name, without a registry`);
  }
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw configError(file, `alias ${JSON.stringify(name)} must not contain a tag or digest`);
  }
  if (value === '') return;
  let target: ImageReference;
  try {
    target = parseReference(value);
  } catch (e) {
    throw configError(
      file,
      `alias ${JSON.stringify(name)}: value ${JSON.stringify(value)}: ${errorMessage(e)}`,
    );
  }
  if (target.registry === '') {
    throw configError(
      file,
      `alias ${JSON.stringify(name)}: value ${JSON.stringify(value)} must be fully qualified`,
    );
  }
  if (target.tag !== undefined || target.digest !== undefined) {
    throw configError(file, `alias ${JSON.stringify(name)}: value must not contain a tag or digest`);
  }
}

function parsePullFromMirror(file: string, v: string | undefined): PullFromMirror {
  if (v === undefined || v === '' || v === 'all') return 'all';
  if (v === 'digest-only' || v === 'tag-only') return v;
  throw configError(file, `pull-from-mirror ${JSON.stringify(v)} must be "all", "digest-only" or "tag-only"`);
}

function parseRegistryTable(file: string, t: Table, index: number): RegistryConfig {
  const where = `registry #${index + 1}: `;
  const rawPrefix = field<string>(file, t, 'prefix', 'string', where) ?? '';
  const location = cleanLocation(file, field<string>(file, t, 'location', 'string', where) ?? '');
  let prefix: string;
  if (rawPrefix === '') {
    if (location === '') throw configError(file, `${where}both location and prefix are unset`);
    prefix = location;
  } else {
    prefix = cleanLocation(file, rawPrefix);
    if (prefix.startsWith('*.')) {
      if (/[*/:]/.test(prefix.slice(2))) {
        throw configError(file, `${where}wildcard prefix ${JSON.stringify(prefix)} may only be "*.domain"`);
      }
    } else if (prefix.includes('*')) {
      throw configError(file, `${where}wildcards are only allowed as "*." at the start of a prefix`);
    } else if (location === '') {
      throw configError(file, `${where}location is unset and prefix is not of the form *.example.com`);
    }
  }
  const mirrorByDigestOnly = field<boolean>(file, t, 'mirror-by-digest-only', 'boolean', where) ?? false;
  const rawMirrors = t.mirror ?? [];
  if (!Array.isArray(rawMirrors) || !rawMirrors.every(isTable)) {
    throw configError(file, `${where}mirror must be an array of tables ([[registry.mirror]])`);
  }
  const mirrors = rawMirrors.map((m, i): MirrorConfig => {
    const mw = `${where}mirror #${i + 1}: `;
    const mloc = cleanLocation(file, field<string>(file, m, 'location', 'string', mw) ?? '');
    if (mloc === '') throw configError(file, `${mw}location is unset`);
    const pfm = field<string>(file, m, 'pull-from-mirror', 'string', mw);
    if (mirrorByDigestOnly && pfm !== undefined && pfm !== '') {
      throw configError(file, `${mw}pull-from-mirror cannot be combined with mirror-by-digest-only`);
    }
    return {
      location: mloc,
      insecure: field<boolean>(file, m, 'insecure', 'boolean', mw) ?? false,
      pullFromMirror: parsePullFromMirror(file, pfm),
    };
  });
  return {
    prefix,
    location,
    insecure: field<boolean>(file, t, 'insecure', 'boolean', where) ?? false,
    blocked: field<boolean>(file, t, 'blocked', 'boolean', where) ?? false,
    mirrorByDigestOnly,
    mirrors,
  };
}

/** The deprecated version 1 tables, turned into version 2 settings. */
function parseV1(file: string, registries: Table, out: PartialRegistriesConfig): void {
  const list = (name: string): string[] => {
    const t = registries[name];
    if (t === undefined) return [];
    if (!isTable(t)) throw configError(file, `registries.${name} must be a table`);
    return stringArray(file, t, 'registries', `registries.${name}.`) ?? [];
  };
  const search = list('search');
  if (registries.search !== undefined) out.unqualifiedSearchRegistries = search;
  const byPrefix = new Map<string, RegistryConfig>();
  const entry = (loc: string): RegistryConfig => {
    const prefix = cleanLocation(file, loc);
    let reg = byPrefix.get(prefix);
    if (!reg) {
      reg = {
        prefix,
        location: prefix,
        insecure: false,
        blocked: false,
        mirrorByDigestOnly: false,
        mirrors: [],
      };
      byPrefix.set(prefix, reg);
    }
    return reg;
  };
  for (const loc of list('insecure')) entry(loc).insecure = true;
  for (const loc of list('block')) entry(loc).blocked = true;
  out.registries.push(...byPrefix.values());
}

/** Parses one file's text. `file` is only used in messages. */
export function parseRegistriesConf(text: string, file: string): PartialRegistriesConfig {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    const line = (e as { line?: unknown }).line;
    const why = errorMessage(e).split('\n')[0];
    throw configError(file, why, typeof line === 'number' ? line : undefined);
  }
  const out: PartialRegistriesConfig = { file, aliases: {}, registries: [] };
  const v2 =
    doc['unqualified-search-registries'] !== undefined ||
    doc.registry !== undefined ||
    doc.aliases !== undefined ||
    doc['short-name-mode'] !== undefined;
  if (doc.registries !== undefined) {
    if (v2)
      throw configError(file, 'mixing version 1 ([registries.*]) and version 2 settings is not supported');
    if (!isTable(doc.registries)) throw configError(file, 'registries must be a table');
    parseV1(file, doc.registries, out);
    return out;
  }

  const search = stringArray(file, doc, 'unqualified-search-registries', '');
  if (search !== undefined) {
    for (const r of search) checkSearchRegistry(file, r);
    out.unqualifiedSearchRegistries = search;
  }
  const mode = field<string>(file, doc, 'short-name-mode', 'string', '');
  if (mode !== undefined && mode !== '') {
    if (mode !== 'enforcing' && mode !== 'permissive' && mode !== 'disabled') {
      throw configError(
        file,
        `short-name-mode ${JSON.stringify(mode)} must be enforcing, permissive or disabled`,
      );
    }
    out.shortNameMode = mode;
  }
  if (doc.aliases !== undefined) {
    if (!isTable(doc.aliases)) throw configError(file, 'aliases must be a table');
    for (const [name, value] of Object.entries(doc.aliases)) {
      if (typeof value !== 'string')
        throw configError(file, `alias ${JSON.stringify(name)} must be a string`);
      checkAlias(file, name, value);
      out.aliases[name] = value;
    }
  }
  if (doc.registry !== undefined) {
    const regs = Array.isArray(doc.registry) ? doc.registry : [doc.registry];
    if (!regs.every(isTable)) throw configError(file, 'registry must be an array of tables ([[registry]])');
    const seen = new Set<string>();
    regs.forEach((t, i) => {
      const reg = parseRegistryTable(file, t, i);
      if (seen.has(reg.prefix))
        throw configError(file, `registry prefix ${JSON.stringify(reg.prefix)} is defined twice`);
      seen.add(reg.prefix);
      out.registries.push(reg);
    });
  }
  return out;
}

/**
 * Merges files in load order as containers/image does for drop-ins: a later file's registry
 * replaces an earlier one with the same prefix, a later search list or mode replaces the earlier
 * one, and aliases merge key by key (an empty value erases).
 */
export function mergeConfigs(parsed: PartialRegistriesConfig[]): RegistriesConfig {
  const out = emptyRegistriesConfig();
  for (const p of parsed) {
    out.files.push(p.file);
    if (p.unqualifiedSearchRegistries !== undefined)
      out.unqualifiedSearchRegistries = [...p.unqualifiedSearchRegistries];
    if (p.shortNameMode !== undefined) out.shortNameMode = p.shortNameMode;
    for (const [name, value] of Object.entries(p.aliases)) {
      if (value === '') {
        delete out.aliases[name];
        delete out.aliasSources[name];
      } else {
        out.aliases[name] = value;
        out.aliasSources[name] = p.file;
      }
    }
    for (const reg of p.registries) {
      const i = out.registries.findIndex((r) => r.prefix === reg.prefix);
      if (i === -1) out.registries.push(reg);
      else out.registries[i] = reg;
    }
  }
  return out;
}

// ---- Matching and resolution (pure) ----

/**
 * containers/image's refMatchingPrefix: the length of `ref` matched by `prefix`, or -1. A plain
 * prefix matches whole path components (followed by `/`, `:`, `@` or the end); `*.example.com`
 * matches any subdomain of example.com in the host part.
 */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const suffix = prefix.slice(1);
    const index = ref.indexOf(suffix);
    if (index === -1 || ref.slice(0, index).includes('/')) return -1;
    const end = index + suffix.length;
    if (end === ref.length || ':/@'.includes(ref[end])) return end;
    return -1;
  }
  if (!ref.startsWith(prefix)) return -1;
  if (ref.length === prefix.length || ':/@'.includes(ref[prefix.length])) return prefix.length;
  return -1;
}

function referenceString(image: string | ImageReference): string {
  return formatReference(normalizeName(typeof image === 'string' ? parseReference(image) : image));
}

/** The [[registry]] entry for an image name (longest matching prefix), if any. */
export function findRegistry(
  config: RegistriesConfig,
  image: string | ImageReference,
): RegistryConfig | undefined {
  const ref = referenceString(image);
  let best: RegistryConfig | undefined;
  for (const reg of config.registries) {
    if (refMatchingPrefix(ref, reg.prefix) !== -1 && (!best || reg.prefix.length > best.prefix.length))
      best = reg;
  }
  return best;
}

/** Strips a port: `host:5000` -> host, `[::1]:5000` -> ::1, a bare IPv6 address is kept. */
function hostOnly(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  const colons = host.split(':').length - 1;
  return colons === 1 ? host.slice(0, host.indexOf(':')) : host;
}

/** Docker's default: loopback registries may speak plain HTTP / unverified TLS. */
export function isLoopbackRegistry(host: string): boolean {
  const h = hostOnly(host.toLowerCase());
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function locationHost(location: string): string {
  const slash = location.indexOf('/');
  return slash === -1 ? location : location.slice(0, slash);
}

/**
 * True when berth may use HTTP or skip TLS verification for `host` (host[:port]): its
 * [[registry]] entry, or a mirror at that host, says insecure, or it is a loopback address.
 */
export function isInsecure(config: RegistriesConfig, host: string): boolean {
  if (isLoopbackRegistry(host)) return true;
  const reg = findRegistry(config, { registry: host, repository: 'x' });
  if (reg?.insecure) return true;
  return config.registries.some(
    (r) =>
      (r.insecure && r.location !== '' && locationHost(r.location) === host) ||
      r.mirrors.some((m) => m.insecure && locationHost(m.location) === host),
  );
}

export interface PullSource extends ImageReference {
  insecure: boolean;
  /** True for a mirror, false for the primary location. */
  mirror: boolean;
}

function rewrite(refString: string, prefix: string, location: string): ImageReference {
  const len = refMatchingPrefix(refString, prefix);
  const rewritten = location === '' ? refString : location + refString.slice(len);
  let ref: ImageReference;
  try {
    ref = parseReference(rewritten);
  } catch (e) {
    throw new BerthError(`rewriting ${refString} for registries.conf prefix ${prefix}: ${errorMessage(e)}`);
  }
  if (ref.registry === '') {
    throw new BerthError(
      `rewriting ${refString} for registries.conf prefix ${prefix}: ${rewritten} does not name a registry`,
    );
  }
  return ref;
}

/** Throws when the registry for a reference is blocked (pull and push alike). */
export function checkBlocked(config: RegistriesConfig, ref: ImageReference): void {
  const reg = findRegistry(config, ref);
  if (reg?.blocked) throw new BerthError(`registry ${reg.prefix} is blocked in registries.conf`);
}

/**
 * Where to pull a fully qualified reference from, in order: the matching entry's mirrors (those
 * its pull-from-mirror or mirror-by-digest-only rules allow), then its location (or the name as
 * given). `tlsVerify` from the command line overrides every endpoint's insecure setting.
 */
export function pullSources(
  config: RegistriesConfig,
  ref: ImageReference,
  opts: { tlsVerify?: boolean } = {},
): PullSource[] {
  const full = normalizeName(ref);
  const refString = formatReference(full);
  const insecureFor = (configured: boolean, host: string): boolean =>
    opts.tlsVerify !== undefined ? !opts.tlsVerify : configured || isLoopbackRegistry(host);
  const reg = findRegistry(config, full);
  if (!reg) return [{ ...full, insecure: insecureFor(false, full.registry), mirror: false }];
  if (reg.blocked) throw new BerthError(`registry ${reg.prefix} is blocked in registries.conf`);

  const byDigest = full.digest !== undefined;
  const out: PullSource[] = [];
  for (const m of reg.mirrors) {
    const allowed = reg.mirrorByDigestOnly
      ? byDigest
      : m.pullFromMirror === 'all' || (m.pullFromMirror === 'digest-only') === byDigest;
    if (!allowed) continue;
    const target = rewrite(refString, reg.prefix, m.location);
    out.push({ ...target, insecure: insecureFor(m.insecure, target.registry), mirror: true });
  }
  const primary = rewrite(refString, reg.prefix, reg.location);
  out.push({ ...primary, insecure: insecureFor(reg.insecure, primary.registry), mirror: false });
  return out;
}

/**
 * The fully qualified names to try for `name`, in order. A qualified name is just normalized.
 * A short name uses its alias if one is configured (the alias alone, with the user's tag or
 * digest), else each unqualified-search registry. With no search registries configured we
 * default to docker.io, as Docker does (Podman would refuse).
 *
 * berth never prompts (it runs in scripts as often as in terminals), so `enforcing` behaves like
 * Podman without a TTY: a short name that several search registries could serve is an error;
 * `permissive` (the default when unset) and `disabled` try every search registry in order.
 */
export function resolveShortName(config: RegistriesConfig, name: string): ImageReference[] {
  const ref = parseReference(name);
  if (ref.registry !== '') return [normalize(ref)];
  const suffix = { tag: ref.tag, digest: ref.digest };
  const clean = (r: ImageReference): ImageReference => {
    const out: ImageReference = { registry: r.registry, repository: r.repository };
    if (suffix.tag !== undefined) out.tag = suffix.tag;
    if (suffix.digest !== undefined) out.digest = suffix.digest;
    return normalize(out);
  };
  const alias = config.aliases[ref.repository];
  if (alias !== undefined) return [clean(parseReference(alias))];

  const search =
    config.unqualifiedSearchRegistries.length > 0 ? config.unqualifiedSearchRegistries : [DOCKER_HUB];
  const candidates = search.map((registry) => clean({ registry, repository: ref.repository }));
  if (candidates.length > 1 && config.shortNameMode === 'enforcing') {
    throw new BerthError(
      `short-name resolution enforced but cannot prompt: ${JSON.stringify(name)} could come from ` +
        `${search.join(', ')}`,
      {
        hint:
          `use a fully qualified name such as ${formatName(candidates[0])}, or add an alias for ` +
          `${JSON.stringify(ref.repository)} to the [aliases] table of registries.conf`,
      },
    );
  }
  return candidates;
}

// ---- Loading (I/O) ----

export interface RegistriesConfSourceOptions {
  env?: NodeJS.ProcessEnv;
  /** System configuration directory; default /etc/containers. */
  systemDir?: string;
  /** The user's containers configuration directory; default $XDG_CONFIG_HOME/containers. */
  userDir?: string;
  /** berth's own configuration directory (src/sys/paths.ts); its registries.conf is read last. */
  berthConfigDir?: string;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function dropIns(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.conf'))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * The configuration files to read, in order, as Podman chooses them: the main file
 * ($CONTAINERS_REGISTRIES_CONF, else the user's registries.conf if it exists, else the system
 * one); the system drop-in directory unless the user's own file replaced the system file; the
 * user's drop-ins; then berth's registries.conf. Missing files are left for the loader to skip.
 */
export function registriesConfFiles(opts: RegistriesConfSourceOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const systemDir = opts.systemDir ?? '/etc/containers';
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  const userDir = opts.userDir ?? join(configHome, 'containers');
  const berthConfigDir = opts.berthConfigDir ?? defaultPaths(hostIdentity(env), env).configDir;
  const userFile = join(userDir, 'registries.conf');

  const files: string[] = [];
  const override = env.CONTAINERS_REGISTRIES_CONF;
  if (override) {
    files.push(override, ...dropIns(join(systemDir, 'registries.conf.d')));
  } else if (exists(userFile)) {
    files.push(userFile);
  } else {
    files.push(join(systemDir, 'registries.conf'), ...dropIns(join(systemDir, 'registries.conf.d')));
  }
  files.push(...dropIns(join(userDir, 'registries.conf.d')));
  files.push(join(berthConfigDir, 'registries.conf'));
  return files;
}

/** Reads and merges `files` in order; files that do not exist are skipped. */
export function loadRegistriesConf(files: string[]): RegistriesConfig {
  const parsed: PartialRegistriesConfig[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw configError(file, errorMessage(e));
    }
    parsed.push(parseRegistriesConf(text, file));
  }
  return mergeConfigs(parsed);
}

/** The configuration berth uses: Podman's files plus berth's own. */
export function loadDefaultRegistriesConf(opts: RegistriesConfSourceOptions = {}): RegistriesConfig {
  return loadRegistriesConf(registriesConfFiles(opts));
}
