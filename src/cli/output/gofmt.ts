/**
 * The parts of Go's fmt package that `--format` templates reach: how a value prints (`%v`,
 * `{{.X}}`), printf verbs, `%g` number formatting and strconv.Quote. Values are the JS
 * shapes our commands hand to templates: strings, numbers (integers print as Go ints, others
 * as float64), booleans, arrays, Maps and plain objects (printed as Go maps), Dates.
 */
import { goTimeString } from './gotime.js';

/** Go's name for a JS value's type, for `%!d(string=x)` and template errors. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
    case 'bigint':
      return 'int64';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'func';
  }
  if (Array.isArray(v))
    return v.length > 0 && v.every((e) => typeof e === 'string') ? '[]string' : '[]interface {}';
  if (v instanceof Date) return 'time.Time';
  return 'map[string]interface {}';
}

/** Keys of a Map or plain object in Go's map print order (sorted). */
export function sortedEntries(v: object): [string, unknown][] {
  const entries: [string, unknown][] =
    v instanceof Map ? [...v.entries()].map(([k, e]) => [String(k), e]) : Object.entries(v);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** fmt's `%v` (what `{{.X}}` prints). `undefined` is Go's invalid value, `null` a nil. */
export function printValue(v: unknown): string {
  if (v === undefined) return '<no value>';
  return formatV(v, true);
}

function formatV(v: unknown, top: boolean): string {
  if (v === undefined) return top ? '<no value>' : '<nil>';
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumberV(v);
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'function':
      return formatV((v as () => unknown)(), top);
  }
  if (Array.isArray(v)) return '[' + v.map((e) => formatV(e, false)).join(' ') + ']';
  if (v instanceof Date) return goTimeString(v);
  if (v instanceof Error) return v.message;
  return (
    'map[' +
    sortedEntries(v as object)
      .map(([k, e]) => `${k}:${formatV(e, false)}`)
      .join(' ') +
    ']'
  );
}

/** A number as Go's `%v` prints it: integers as ints, others as float64 with `%g`. */
export function formatNumberV(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return Object.is(n, -0) ? '0' : n.toFixed(0);
  return formatG(n, -1);
}

function specialFloat(n: number): string | undefined {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return undefined;
}

/** Decimal digits (no trailing zeros) and the decimal point position, as strconv's decimal. */
function decimalDigits(n: number, prec: number): { neg: boolean; digits: string; dp: number } {
  const neg = n < 0 || Object.is(n, -0);
  const a = Math.abs(n);
  if (a === 0) return { neg, digits: '0', dp: 1 };
  const s = prec < 0 ? a.toExponential() : a.toExponential(Math.min(Math.max(prec - 1, 0), 100));
  const [mant, exp] = s.split('e');
  let digits = mant.replace('.', '').replace(/0+$/, '');
  if (digits === '') digits = '0';
  return { neg, digits, dp: Number(exp) + 1 };
}

/** Go's `%g` / `%.<prec>g` (prec -1: shortest representation, like `%v`). */
export function formatG(n: number, prec: number): string {
  const special = specialFloat(n);
  if (special) return special;
  if (prec === 0) prec = 1;
  const { neg, digits, dp } = decimalDigits(n, prec);
  let eprec = prec < 0 ? 6 : prec;
  if (prec >= 0 && eprec > digits.length && digits.length >= dp) eprec = digits.length;
  const exp = dp - 1;
  let body: string;
  if (n === 0) body = '0';
  else if (exp < -4 || exp >= eprec) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    body = `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (dp <= 0) body = '0.' + '0'.repeat(-dp) + digits;
  else if (dp >= digits.length) body = digits + '0'.repeat(dp - digits.length);
  else body = digits.slice(0, dp) + '.' + digits.slice(dp);
  return (neg ? '-' : '') + body;
}

function formatE(n: number, prec: number, upper: boolean): string {
  const special = specialFloat(n);
  if (special) return special;
  const s = n.toExponential(prec);
  const [m, e] = s.split('e');
  const sign = e[0] === '-' ? '-' : '+';
  const digits = e.replace(/^[+-]/, '');
  const out = `${m}e${sign}${digits.length < 2 ? '0' : ''}${digits}`;
  return upper ? out.toUpperCase() : out;
}

function formatF(n: number, prec: number): string {
  return specialFloat(n) ?? n.toFixed(prec);
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** Display width in runes, as Go's fmt counts width and precision. */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  sharp: boolean;
  width?: number;
  prec?: number;
  verb: string;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined) return s;
  const n = spec.width - runeCount(s);
  if (n <= 0) return s;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatV(v, false)})`;
}

function signed(s: string, n: number, spec: Spec): string {
  if (n >= 0 && !s.startsWith('-')) {
    if (spec.plus) return '+' + s;
    if (spec.space) return ' ' + s;
  }
  return s;
}

function formatOne(spec: Spec, v: unknown): string {
  const { verb } = spec;
  if (typeof v === 'function') v = (v as () => unknown)();
  if (Array.isArray(v) && verb !== 'v' && verb !== 'T') {
    return pad('[' + v.map((e) => formatOne({ ...spec, width: undefined }, e)).join(' ') + ']', spec, false);
  }
  switch (verb) {
    case 'v':
      if (typeof v === 'number') return pad(signed(formatNumberV(v), v, spec), spec, true);
      return pad(spec.sharp && typeof v === 'string' ? goQuote(v) : formatV(v, false), spec, false);
    case 'T':
      return pad(goTypeName(v), spec, false);
    case 's':
      if (typeof v === 'string') {
        return pad(spec.prec === undefined ? v : [...v].slice(0, spec.prec).join(''), spec, false);
      }
      if (v instanceof Error) return pad(v.message, spec, false);
      if (v instanceof Date) return pad(goTimeString(v), spec, false);
      if (v !== null && typeof v === 'object') {
        return pad(
          'map[' +
            sortedEntries(v)
              .map(([k, e]) => `${k}:${formatOne({ ...spec, width: undefined }, e)}`)
              .join(' ') +
            ']',
          spec,
          false,
        );
      }
      return badVerb(verb, v);
    case 'q':
      if (typeof v === 'string') return pad(goQuote(v), spec, false);
      if (typeof v === 'number' && Number.isInteger(v)) {
        const inner = goQuote(String.fromCodePoint(v)).slice(1, -1).replace(/\\"/g, '"');
        return pad(`'${inner === "'" ? "\\'" : inner}'`, spec, false);
      }
      return badVerb(verb, v);
    case 'd':
      if (typeof v === 'number' && Number.isInteger(v)) return pad(signed(v.toFixed(0), v, spec), spec, true);
      if (typeof v === 'bigint') return pad(signed(v.toString(), Number(v), spec), spec, true);
      return badVerb(verb, v);
    case 'x':
    case 'X': {
      let s: string;
      if (typeof v === 'number' && Number.isInteger(v)) s = (v < 0 ? '-' : '') + Math.abs(v).toString(16);
      else if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else return badVerb(verb, v);
      if (spec.sharp) s = s.startsWith('-') ? '-0x' + s.slice(1) : '0x' + s;
      return pad(verb === 'X' ? s.toUpperCase().replace('0X', '0X') : s, spec, true);
    }
    case 'o':
    case 'b':
      if (typeof v === 'number' && Number.isInteger(v))
        return pad(v.toString(verb === 'o' ? 8 : 2), spec, true);
      return badVerb(verb, v);
    case 'c':
      if (typeof v === 'number' && Number.isInteger(v)) return pad(String.fromCodePoint(v), spec, false);
      return badVerb(verb, v);
    case 't':
      if (typeof v === 'boolean') return pad(String(v), spec, false);
      return badVerb(verb, v);
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (typeof v !== 'number') return badVerb(verb, v);
      let s: string;
      if (verb === 'f' || verb === 'F') s = formatF(v, spec.prec ?? 6);
      else if (verb === 'e' || verb === 'E') s = formatE(v, spec.prec ?? 6, verb === 'E');
      else s = formatG(v, spec.prec ?? -1);
      if (verb === 'G') s = s.toUpperCase();
      return pad(signed(s, v, spec), spec, true);
    }
    default:
      return badVerb(verb, v);
  }
}

/** fmt.Sprintf for the verbs templates use: %v %s %q %d %x %X %o %b %c %t %f %e %g %T %%. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, zero: false, space: false, sharp: false, verb: '' };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '0') spec.zero = !spec.minus;
      else if (c === ' ') spec.space = true;
      else if (c === '#') spec.sharp = true;
      else break;
    }
    const readNum = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'number' ? Math.trunc(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = readNum();
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    if (format[i] === '.') {
      i++;
      spec.prec = readNum() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    spec.verb = verb;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(spec, args[argi++]);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => `${goTypeName(a)}=${formatV(a, false)}`)
        .join(', ') +
      ')';
  }
  return out;
}

function isStringArg(v: unknown): boolean {
  return typeof v === 'string';
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringArg(a) && !isStringArg(args[i - 1])) out += ' ';
    out += formatV(a, false);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands and a newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatV(a, false)).join(' ') + '\n';
}
