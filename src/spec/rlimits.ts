import { BerthError } from '../util/errors.js';
import type { OciRlimit, Uint64 } from './oci.js';
import type { HostRlimit } from './options.js';

/** RLIM_INFINITY: (rlim_t)-1. */
export const RLIM_INFINITY = 2n ** 64n - 1n;

/** Podman's default open-file limit; clamped to what the caller may grant (see clampRlimits). */
export const DEFAULT_NOFILE = 1048576;

const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
];

function parseLimitValue(s: string, spec: string): bigint {
  if (s === 'unlimited' || s === '-1') return RLIM_INFINITY;
  if (!/^\d+$/.test(s))
    throw new BerthError(`invalid ulimit argument: ${spec}: ${JSON.stringify(s)} is not a number`);
  const v = BigInt(s);
  if (v >= RLIM_INFINITY) return RLIM_INFINITY;
  return v;
}

/** A uint64 as a plain number when that is exact, so ordinary limits stay ordinary JSON numbers. */
export function toUint64(v: bigint): Uint64 {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * `--ulimit name=soft[:hard]` (Docker's syntax; hard defaults to soft; `-1` or `unlimited`
 * means no limit), as an OCI rlimit.
 */
export function parseUlimit(spec: string): OciRlimit {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new BerthError(`invalid ulimit argument: ${spec}`);
  const name = spec.slice(0, eq);
  if (!ULIMIT_NAMES.includes(name)) throw new BerthError(`invalid ulimit type: ${name}`);
  const values = spec.slice(eq + 1).split(':');
  if (values.length > 2) {
    throw new BerthError(
      `invalid ulimit argument: ${spec}: too many limit values, can only have up to two, \`soft[:hard]\``,
    );
  }
  const soft = parseLimitValue(values[0], spec);
  const hard = values.length === 2 ? parseLimitValue(values[1], spec) : soft;
  if (soft > hard) {
    throw new BerthError(
      `invalid ulimit argument: ${spec}: soft limit must be less than or equal to hard limit`,
    );
  }
  return { type: `RLIMIT_${name.toUpperCase()}`, soft: toUint64(soft), hard: toUint64(hard) };
}

/** Default limits, then the user's --ulimit values (a later one of a type replaces an earlier one). */
export function requestedRlimits(ulimits: string[]): OciRlimit[] {
  const byType = new Map<string, OciRlimit>();
  byType.set('RLIMIT_NOFILE', { type: 'RLIMIT_NOFILE', soft: DEFAULT_NOFILE, hard: DEFAULT_NOFILE });
  for (const u of ulimits) {
    const r = parseUlimit(u);
    byType.set(r.type, r);
  }
  return [...byType.values()];
}

/**
 * Limits no higher than the caller's hard limits: without CAP_SYS_RESOURCE (rootless, and root
 * on some hosts) the runtime fails with "error setting rlimit" otherwise. Returns what was
 * lowered, for a debug message.
 */
export function clampRlimits(
  rlimits: OciRlimit[],
  host: Record<string, HostRlimit>,
): { rlimits: OciRlimit[]; clamped: string[] } {
  const clamped: string[] = [];
  const out = rlimits.map((r) => {
    const limit = host[r.type];
    if (!limit) return r;
    const max = BigInt(limit.hard);
    let hard = BigInt(r.hard);
    let soft = BigInt(r.soft);
    if (hard <= max && soft <= hard) return r;
    if (hard > max) hard = max;
    if (soft > hard) soft = hard;
    clamped.push(`${r.type} lowered from ${r.soft}:${r.hard} to ${soft}:${hard} (the caller's hard limit)`);
    return { type: r.type, soft: toUint64(soft), hard: toUint64(hard) };
  });
  return { rlimits: out, clamped };
}
