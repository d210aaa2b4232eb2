/**
 * Docker's human-readable numbers and times: go-units' HumanSize and HumanDuration, the
 * `2 hours ago` wording of CREATED, `Up 2 hours` / `Exited (0) 3 minutes ago` statuses and
 * short ids.
 */
import { formatG } from './gofmt.js';
import { type GoTimeInput, goTimeMs, isGoZeroTime } from './gotime.js';

export {
  formatRFC3339Nano,
  goTimeString,
  localZone,
  GO_ZERO_TIME,
  UTC_ZONE,
  type GoTimeZone,
} from './gotime.js';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function sizeAndUnit(size: number, base: number, units: readonly string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]];
}

/** go-units HumanSizeWithPrecision: `%.<precision>g` of the size in decimal units. */
export function humanSizeWithPrecision(size: number, precision: number): string {
  const [n, unit] = sizeAndUnit(size, 1000, DECIMAL_UNITS);
  return formatG(n, precision) + unit;
}

/**
 * A size as docker/cli shows it in `images` and `ps --size`: 3 significant digits
 * (`4.26MB`, `1.2GB`, `0B`, `1kB`). go-units' own HumanSize uses 4; pass it to match that.
 */
export function humanSize(size: number, precision = 3): string {
  return humanSizeWithPrecision(size, precision);
}

/** go-units BytesSize: binary units with 4 significant digits (`1.5KiB`, `2MiB`). */
export function bytesSize(size: number): string {
  const [n, unit] = sizeAndUnit(size, 1024, BINARY_UNITS);
  return formatG(n, 4) + unit;
}

/** go-units HumanDuration of a span in milliseconds (the caller appends ` ago`). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** `2 hours ago`, as CREATED shows; `N/A` for an unset (zero) time, as docker images does. */
export function formatSince(date: GoTimeInput, now: Date = new Date()): string {
  if (isGoZeroTime(date)) return 'N/A';
  return humanDuration(now.getTime() - goTimeMs(date)) + ' ago';
}

/** Docker's stringid.TruncateID: drops an algorithm prefix, keeps 12 characters. */
export function shortId(id: string): string {
  const colon = id.indexOf(':');
  const hex = colon >= 0 ? id.slice(colon + 1) : id;
  return hex.length > 12 ? hex.slice(0, 12) : hex;
}

export type ContainerStatusState =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'stopped'
  | 'dead'
  | 'configured'
  | 'initialized';

export interface ContainerStatusInput {
  state: ContainerStatusState | string;
  startedAt?: GoTimeInput;
  finishedAt?: GoTimeInput;
  exitCode?: number;
  /** `healthy`, `unhealthy`, `starting` (or `none`/empty: no health check). */
  health?: string;
  now?: Date;
}

function healthSuffix(health: string | undefined): string {
  if (!health || health === 'none') return '';
  return health === 'starting' ? ' (health: starting)' : ` (${health})`;
}

function isSet(t: GoTimeInput | undefined): t is GoTimeInput {
  return t !== undefined && t !== '' && !isGoZeroTime(t);
}

/** The STATUS column, worded as the Docker daemon's State.String(). */
export function containerStatus(s: ContainerStatusInput): string {
  const now = s.now ?? new Date();
  const since = (t: GoTimeInput | undefined) => humanDuration(isSet(t) ? now.getTime() - goTimeMs(t) : 0);
  const code = s.exitCode ?? 0;
  switch (s.state) {
    case 'running':
      return `Up ${since(s.startedAt)}${healthSuffix(s.health)}`;
    case 'paused':
      return `Up ${since(s.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${code}) ${since(s.finishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
  }
  if (!isSet(s.startedAt)) return 'Created';
  if (!isSet(s.finishedAt)) return '';
  return `Exited (${code}) ${since(s.finishedAt)} ago`;
}
