/**
 * Go's time layouts that Docker output shows: RFC3339Nano in inspect JSON
 * (`2006-01-02T15:04:05.999999999Z07:00`) and time.Time's String() in `{{.CreatedAt}}`
 * (`2006-01-02 15:04:05.999999999 -0700 MST`). JS Dates stop at milliseconds, so a time may
 * also be given as an RFC 3339 string, whose fraction (up to nanoseconds) is kept.
 */

export interface GoTimeZone {
  /** East of UTC, in minutes. */
  offsetMinutes: number;
  /** The abbreviation Go prints for `MST` (`UTC`, `CET`, `+04`). */
  name: string;
}

export const UTC_ZONE: GoTimeZone = { offsetMinutes: 0, name: 'UTC' };

/** Go's zero time.Time, as inspect shows a container that never finished. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export type GoTimeInput = Date | string;

interface Instant {
  /** Milliseconds since the epoch, whole seconds only. */
  secondsMs: number;
  /** Nanoseconds within the second. */
  nanos: number;
}

function toInstant(t: GoTimeInput): Instant {
  if (typeof t === 'string') {
    const m = /^(\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(t.trim());
    if (!m) {
      const ms = Date.parse(t);
      if (Number.isNaN(ms)) throw new RangeError(`invalid time ${JSON.stringify(t)}`);
      return fromMs(ms);
    }
    const base = Date.parse(m[1] + (m[3].toUpperCase() === 'Z' ? 'Z' : m[3]));
    const frac = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
    return { secondsMs: base, nanos: Number(frac) };
  }
  return fromMs(t.getTime());
}

function fromMs(ms: number): Instant {
  const secondsMs = Math.floor(ms / 1000) * 1000;
  return { secondsMs, nanos: (ms - secondsMs) * 1e6 };
}

/** Whether `t` is Go's zero time (year 1), which Docker shows as never set. */
export function isGoZeroTime(t: GoTimeInput): boolean {
  const { secondsMs } = toInstant(t);
  return new Date(secondsMs).getUTCFullYear() <= 1;
}

// Building an Intl formatter costs far more than using one: make it once per process.
let zoneFormatter: Intl.DateTimeFormat | undefined;

function abbreviation(d: Date, offsetMinutes: number): string {
  let name: string | undefined;
  try {
    zoneFormatter ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
    name = zoneFormatter.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    name = undefined;
  }
  if (name && /^[A-Z]{2,5}$/.test(name) && !(name === 'GMT' && offsetMinutes === 0)) return name;
  if (offsetMinutes === 0) return 'UTC';
  // tzdata names zones without a letter abbreviation by their offset, as `+04` or `+0530`.
  const a = Math.abs(offsetMinutes);
  const hm = String(Math.floor(a / 60)).padStart(2, '0') + (a % 60 ? String(a % 60).padStart(2, '0') : '');
  return (offsetMinutes < 0 ? '-' : '+') + hm;
}

/** The process's local zone at `t` (Go's time.Local). */
export function localZone(t: GoTimeInput = new Date()): GoTimeZone {
  const d = new Date(toInstant(t).secondsMs);
  const offsetMinutes = -d.getTimezoneOffset();
  return { offsetMinutes, name: abbreviation(d, offsetMinutes) };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function wallClock(i: Instant, zone: GoTimeZone): { date: string; time: string } {
  const d = new Date(i.secondsMs + zone.offsetMinutes * 60_000);
  const y = d.getUTCFullYear();
  const year = y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0');
  return {
    date: `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`,
    time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`,
  };
}

/** Go's `.999999999`: the fraction without trailing zeros, nothing when zero. */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  return '.' + String(Math.round(nanos)).padStart(9, '0').replace(/0+$/, '');
}

function numericOffset(offsetMinutes: number, colon: boolean): string {
  const a = Math.abs(offsetMinutes);
  return (offsetMinutes < 0 ? '-' : '+') + two(Math.floor(a / 60)) + (colon ? ':' : '') + two(a % 60);
}

/** RFC3339Nano (`2006-01-02T15:04:05.999999999Z07:00`), in UTC unless a zone is given. */
export function formatRFC3339Nano(t: GoTimeInput, zone: GoTimeZone = UTC_ZONE): string {
  const i = toInstant(t);
  const { date, time } = wallClock(i, zone);
  const off = zone.offsetMinutes === 0 ? 'Z' : numericOffset(zone.offsetMinutes, true);
  return `${date}T${time}${fraction(i.nanos)}${off}`;
}

/** time.Time.String() (`2006-01-02 15:04:05.999999999 -0700 MST`), in the local zone by default. */
export function goTimeString(t: GoTimeInput, zone?: GoTimeZone): string {
  const i = toInstant(t);
  const z = zone ?? localZone(new Date(i.secondsMs));
  const { date, time } = wallClock(i, z);
  return `${date} ${time}${fraction(i.nanos)} ${numericOffset(z.offsetMinutes, false)} ${z.name}`;
}

/** Milliseconds since the epoch (fraction below a millisecond dropped). */
export function goTimeMs(t: GoTimeInput): number {
  const i = toInstant(t);
  return i.secondsMs + Math.floor(i.nanos / 1e6);
}
