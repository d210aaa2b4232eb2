import { posix } from 'node:path';
import { BerthError } from '../util/errors.js';

/**
 * Pure parsing of `-v`, `--mount` and `--volumes-from` with Docker's rules and messages
 * (moby's volume/mounts/linux_parser.go and the CLI's opts/mount.go). The engine turns the
 * results into binds of host paths and volume directories.
 */

export type Propagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';
const PROPAGATIONS: readonly string[] = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

export interface BindRequest {
  kind: 'bind';
  source: string;
  destination: string;
  readOnly: boolean;
  propagation?: Propagation;
  /** `-v` creates a missing source directory; `--mount type=bind` refuses it (Docker). */
  createSource: boolean;
  /** `U`: chown the source to the container's user. */
  chown: boolean;
  /** `z`/`Z`: SELinux relabel, accepted and ignored (no SELinux here). */
  relabel?: 'z' | 'Z';
  nonRecursive?: boolean;
}

export interface VolumeRequest {
  kind: 'volume';
  /** Undefined: a new anonymous volume. */
  name?: string;
  destination: string;
  readOnly: boolean;
  /** Skip the copy of the image's content into a new volume. */
  noCopy: boolean;
  chown: boolean;
  relabel?: 'z' | 'Z';
  /** `--mount volume-label=`, `volume-opt=`: used when the volume is created here. */
  labels?: Record<string, string>;
  options?: Record<string, string>;
  driver?: string;
}

export interface TmpfsRequest {
  kind: 'tmpfs';
  destination: string;
  readOnly: boolean;
  /** mount(8) options: `size=`, `mode=`. */
  options: string[];
}

export type MountRequestEntry = BindRequest | VolumeRequest | TmpfsRequest;

const VOLUME_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Docker's local volume names: at least two characters of [a-zA-Z0-9_.-], starting alphanumeric. */
export function validateVolumeName(name: string): void {
  if (name.length < 2 && /^[a-zA-Z0-9]$/.test(name)) {
    throw new BerthError(`invalid volume name "${name}": names must be at least two characters long`);
  }
  if (!VOLUME_NAME_RE.test(name)) {
    throw new BerthError(
      `"${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed`,
      { hint: 'to bind a host directory, give its absolute path' },
    );
  }
}

export function cleanPath(p: string): string {
  return posix.normalize(p).replace(/(.)\/+$/, '$1');
}

function checkTarget(target: string, type: string, raw: string): string {
  if (target === '')
    throw new BerthError(`invalid mount config for type "${type}": field Target must not be empty`);
  if (!target.startsWith('/')) {
    throw new BerthError(
      `invalid mount config for type "${type}": invalid mount path: '${target}' mount path must be absolute`,
      raw ? { hint: `in '${raw}'` } : {},
    );
  }
  const clean = cleanPath(target);
  if (clean === '/') throw new BerthError(`invalid specification: destination can't be '/' in '${raw}'`);
  return clean;
}

interface Mode {
  readOnly: boolean;
  relabel?: 'z' | 'Z';
  propagation?: Propagation;
  noCopy?: boolean;
  chown: boolean;
}

/**
 * The mode part of `-v`: comma-separated, at most one of each kind (rw|ro, z|Z, a propagation,
 * nocopy, U). Undefined when the text is not a valid mode.
 */
export function parseVolumeMode(text: string): Mode | undefined {
  const mode: Mode = { readOnly: false, chown: false };
  if (text === '') return mode;
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    let kind: string;
    if (part === 'rw' || part === 'ro') {
      kind = 'rw';
      mode.readOnly = part === 'ro';
    } else if (part === 'z' || part === 'Z') {
      kind = 'label';
      mode.relabel = part;
    } else if (PROPAGATIONS.includes(part)) {
      kind = 'propagation';
      mode.propagation = part as Propagation;
    } else if (part === 'nocopy') {
      kind = 'copy';
      mode.noCopy = true;
    } else if (part === 'U') {
      kind = 'U';
      mode.chown = true;
    } else return undefined;
    if (seen.has(kind)) return undefined;
    seen.add(kind);
  }
  return mode;
}

/** `-v [SRC:]DST[:MODE]`: an absolute SRC is a bind, any other SRC a volume name, none an anonymous volume. */
export function parseVolumeFlag(raw: string): BindRequest | VolumeRequest {
  const invalid = () => new BerthError(`invalid volume specification: '${raw}'`);
  if ((raw.match(/:/g) ?? []).length > 2) throw invalid();
  const arr = raw.split(':');
  if (arr[0] === '') throw invalid();
  let source = '';
  let target: string;
  let modeText = '';
  if (arr.length === 1) target = arr[0];
  else if (arr.length === 2) {
    // `/foo:rw` is a destination and a mode, which a volume cannot have.
    if (parseVolumeMode(arr[1]) !== undefined && arr[1] !== '') throw invalid();
    [source, target] = arr;
  } else [source, target, modeText] = arr;
  const mode = parseVolumeMode(modeText);
  if (!mode) throw new BerthError(`invalid mode: ${modeText}`, { hint: `in volume specification '${raw}'` });
  if (source.startsWith('/')) {
    if (mode.noCopy) throw new BerthError(`invalid mode: ${modeText}: nocopy applies to volumes only`);
    return {
      kind: 'bind',
      source: cleanPath(source),
      destination: checkTarget(target, 'bind', raw),
      readOnly: mode.readOnly,
      propagation: mode.propagation,
      createSource: true,
      chown: mode.chown,
      relabel: mode.relabel,
    };
  }
  if (mode.propagation)
    throw new BerthError(`invalid mode: ${modeText}: propagation applies to bind mounts only`);
  const destination = checkTarget(target, 'volume', raw);
  if (source !== '') validateVolumeName(source);
  return {
    kind: 'volume',
    name: source || undefined,
    destination,
    readOnly: mode.readOnly,
    noCopy: !!mode.noCopy,
    chown: mode.chown,
    relabel: mode.relabel,
  };
}

function parseBool(key: string, value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new BerthError(`invalid value for ${key}: ${value}`);
}

/** Docker's RAMInBytes: a number with an optional b/k/m/g/t suffix (binary units). */
export function parseByteSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new BerthError(`invalid size: '${text}'`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k'];
  return Math.floor(Number(m[1]) * mult);
}

function splitCsv(raw: string): string[] {
  // Docker reads --mount as CSV: a quoted field may hold commas.
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      if (quoted && raw[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new BerthError(`invalid --mount value '${raw}': unterminated quote`);
  out.push(cur);
  return out;
}

/** `--mount type=bind|volume|tmpfs,source=,target=,readonly,...` (Docker's keys). */
export function parseMountFlag(raw: string): MountRequestEntry {
  let type = 'volume';
  let source = '';
  let target = '';
  let readOnly = false;
  let propagation: Propagation | undefined;
  let nonRecursive = false;
  let noCopy = false;
  let relabel: 'z' | 'Z' | undefined;
  let chown = false;
  let driver: string | undefined;
  const labels: Record<string, string> = {};
  const options: Record<string, string> = {};
  let tmpfsSize: number | undefined;
  let tmpfsMode: number | undefined;
  const given = new Set<'bind' | 'volume' | 'tmpfs'>();
  for (const field of splitCsv(raw)) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    const need = (): string => {
      if (value === undefined) throw new BerthError(`invalid field '${field}' must be a key=value pair`);
      return value;
    };
    switch (key) {
      case 'type':
        type = need();
        break;
      case 'source':
      case 'src':
        source = need();
        break;
      case 'target':
      case 'destination':
      case 'dst':
        target = need();
        break;
      case 'readonly':
      case 'ro':
        readOnly = parseBool(key, value);
        break;
      case 'rw':
        readOnly = !parseBool(key, value);
        break;
      case 'bind-propagation': {
        const v = need();
        if (!PROPAGATIONS.includes(v)) throw new BerthError(`invalid bind-propagation: ${v}`);
        propagation = v as Propagation;
        given.add('bind');
        break;
      }
      case 'bind-nonrecursive':
        nonRecursive = parseBool(key, value);
        given.add('bind');
        break;
      case 'volume-nocopy':
        noCopy = parseBool(key, value);
        given.add('volume');
        break;
      case 'volume-driver':
        driver = need();
        given.add('volume');
        break;
      case 'volume-label':
      case 'volume-opt': {
        const kv = need();
        const i = kv.indexOf('=');
        const k = i < 0 ? kv : kv.slice(0, i);
        const v = i < 0 ? '' : kv.slice(i + 1);
        if (key === 'volume-opt' && i < 0) throw new BerthError(`invalid volume-opt '${kv}': want key=value`);
        (key === 'volume-label' ? labels : options)[k] = v;
        given.add('volume');
        break;
      }
      case 'tmpfs-size':
        tmpfsSize = parseByteSize(need());
        given.add('tmpfs');
        break;
      case 'tmpfs-mode': {
        const v = need();
        if (!/^[0-7]{1,4}$/.test(v))
          throw new BerthError(`invalid tmpfs-mode: ${v}: want an octal mode such as 1777`);
        tmpfsMode = Number.parseInt(v, 8);
        given.add('tmpfs');
        break;
      }
      case 'relabel':
        relabel = need() === 'private' ? 'Z' : 'z';
        break;
      case 'z':
      case 'Z':
        relabel = key === 'Z' ? 'Z' : 'z';
        break;
      case 'u':
      case 'chown':
        chown = parseBool(key, value);
        break;
      case 'consistency':
        break; // macOS only in Docker
      default:
        throw new BerthError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') {
    throw new BerthError(`invalid mount type "${type}": want bind, volume or tmpfs`);
  }
  for (const g of given) {
    if (g !== type) {
      const field = { bind: 'BindOptions', volume: 'VolumeOptions', tmpfs: 'TmpfsOptions' }[g];
      throw new BerthError(`invalid mount config for type "${type}": field ${field} must not be specified`);
    }
  }
  if (target === '')
    throw new BerthError(`invalid mount config for type "${type}": field Target must not be empty`);
  const destination = checkTarget(target, type, raw);
  if (type === 'bind') {
    if (source === '')
      throw new BerthError(`invalid mount config for type "bind": field Source must not be empty`);
    if (!source.startsWith('/')) {
      throw new BerthError(
        `invalid mount config for type "bind": invalid mount path: '${source}' mount path must be absolute`,
      );
    }
    return {
      kind: 'bind',
      source: cleanPath(source),
      destination,
      readOnly,
      propagation,
      createSource: false,
      chown,
      relabel,
      nonRecursive: nonRecursive || undefined,
    };
  }
  if (type === 'tmpfs') {
    if (source !== '')
      throw new BerthError(`invalid mount config for type "tmpfs": field Source must not be specified`);
    const opts: string[] = [];
    if (readOnly) opts.push('ro');
    if (tmpfsSize !== undefined) opts.push(`size=${tmpfsSize}`);
    if (tmpfsMode !== undefined) opts.push(`mode=${tmpfsMode.toString(8)}`);
    return { kind: 'tmpfs', destination, readOnly, options: opts };
  }
  if (source !== '') validateVolumeName(source);
  const vol: VolumeRequest = {
    kind: 'volume',
    name: source || undefined,
    destination,
    readOnly,
    noCopy,
    chown,
    relabel,
  };
  if (Object.keys(labels).length) vol.labels = labels;
  if (Object.keys(options).length) vol.options = options;
  if (driver !== undefined) vol.driver = driver;
  return vol;
}

/** `--volumes-from CTR[:ro|rw]`. */
export function parseVolumesFrom(raw: string): { container: string; mode?: 'ro' | 'rw' } {
  const i = raw.lastIndexOf(':');
  if (i < 0) {
    if (raw === '') throw new BerthError(`invalid --volumes-from value '': want CONTAINER[:ro|rw]`);
    return { container: raw };
  }
  const container = raw.slice(0, i);
  const mode = raw.slice(i + 1);
  if (container === '') throw new BerthError(`invalid --volumes-from value '${raw}': want CONTAINER[:ro|rw]`);
  if (mode !== 'ro' && mode !== 'rw') throw new BerthError(`invalid mode for volumes-from: ${mode}`);
  return { container, mode };
}

/**
 * Every mount the user asked for, checked together: two mounts on one destination are an
 * error (Docker: "Duplicate mount point").
 */
export function parseMountRequests(req: { volumes: string[]; mounts: string[] }): MountRequestEntry[] {
  const out = [...req.volumes.map(parseVolumeFlag), ...req.mounts.map(parseMountFlag)];
  const seen = new Set<string>();
  for (const m of out) {
    if (seen.has(m.destination)) throw new BerthError(`duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  return out;
}

/**
 * The image's VOLUME paths nothing else covers: each gets an anonymous volume, as Docker does.
 * `taken` holds the destinations of the user's mounts and those from --volumes-from.
 */
export function imageVolumesToCreate(imageVolumes: string[], taken: Iterable<string>): string[] {
  const used = new Set([...taken].map(cleanPath));
  const out: string[] = [];
  for (const v of imageVolumes) {
    if (!v.startsWith('/')) continue;
    const p = cleanPath(v);
    if (p === '/' || used.has(p)) continue;
    used.add(p);
    out.push(p);
  }
  return out;
}

/** OCI mount options for a bind or volume entry. */
export function bindOptions(m: {
  readOnly: boolean;
  propagation?: string;
  nonRecursive?: boolean;
}): string[] {
  const opts = [m.nonRecursive ? 'bind' : 'rbind'];
  if (m.readOnly) opts.push('ro');
  opts.push(m.propagation ?? 'rprivate');
  return opts;
}
