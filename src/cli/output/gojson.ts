/**
 * JSON as Go's encoding/json writes it, so `{{json .}}` and `--format json` match Docker and
 * Podman byte for byte: Go's string escapes (\u003c for `<` when HTML escaping is on, \u2028,
 * \b and \f short forms as of Go 1.22), Go float formatting, sorted keys for maps. Plain
 * objects keep their key order (they stand for Go structs); Maps are sorted (Go maps).
 * Function-valued fields are called, so lazily computed fields appear in the output.
 */
import { formatRFC3339Nano } from './gotime.js';

export interface GoJsonOptions {
  /** Escape `<`, `>` and `&` (json.Marshal does; Docker's `json` template function does not). */
  escapeHtml?: boolean;
  /** MarshalIndent's indent string; compact when absent. */
  indent?: string;
}

/** Go refuses NaN and infinities; callers decide what a failed encoding prints. */
export class GoJsonError extends Error {}

const HEX = '0123456789abcdef';

export function goJsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      if (c === 10) esc = '\\n';
      else if (c === 13) esc = '\\r';
      else if (c === 9) esc = '\\t';
      else if (c === 8) esc = '\\b';
      else if (c === 12) esc = '\\f';
      else esc = '\\u00' + HEX[c >> 4] + HEX[c & 15];
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26))
      esc = '\\u00' + HEX[c >> 4] + HEX[c & 15];
    else if (c === 0x2028) esc = '\\u2028';
    else if (c === 0x2029) esc = '\\u2029';
    else if (c >= 0xd800 && c <= 0xdfff) {
      const paired =
        c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (paired) {
        i++;
        continue;
      }
      // A lone surrogate is invalid UTF-8 once encoded; Go writes the replacement character.
      esc = '\\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

export function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new GoJsonError(`json: unsupported value: ${n}`);
  if (Object.is(n, -0)) return '-0';
  // JS and Go agree: shortest digits, exponent form below 1e-6 and from 1e21, `e-7` not `e-07`.
  return String(n);
}

function isMapLike(v: object): v is Map<unknown, unknown> {
  return v instanceof Map;
}

/** encoding/json's Marshal (or MarshalIndent with `indent`). */
export function goJson(value: unknown, options: GoJsonOptions = {}): string {
  const escapeHtml = options.escapeHtml ?? true;
  const indent = options.indent;
  const seen = new Set<object>();

  const enc = (v: unknown, depth: number): string | undefined => {
    if (typeof v === 'function') v = (v as () => unknown)();
    if (v === undefined || v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return goJsonString(v, escapeHtml);
      case 'number':
        return goJsonNumber(v);
      case 'bigint':
        return v.toString();
      case 'boolean':
        return v ? 'true' : 'false';
      case 'symbol':
        return undefined;
    }
    const obj = v as object;
    if (obj instanceof Date) return goJsonString(formatRFC3339Nano(obj), escapeHtml);
    if (seen.has(obj)) throw new GoJsonError('json: unsupported value: encountered a cycle');
    if (
      !Array.isArray(obj) &&
      !isMapLike(obj) &&
      typeof (obj as { toJSON?: unknown }).toJSON === 'function'
    ) {
      return enc((obj as { toJSON: () => unknown }).toJSON(), depth);
    }
    seen.add(obj);
    try {
      const nl = indent === undefined ? '' : '\n' + indent.repeat(depth + 1);
      const close = indent === undefined ? '' : '\n' + indent.repeat(depth);
      if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
        const items = Array.from(obj as ArrayLike<unknown>, (e) => enc(e, depth + 1) ?? 'null');
        if (items.length === 0) return '[]';
        return '[' + items.map((s) => nl + s).join(',') + close + ']';
      }
      let entries: [string, unknown][];
      if (isMapLike(obj)) {
        entries = [...obj.entries()].map(([k, e]): [string, unknown] => [String(k), e]);
        entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      } else entries = Object.entries(obj);
      const sep = indent === undefined ? ':' : ': ';
      const parts: string[] = [];
      for (const [k, e] of entries) {
        if (e === undefined) continue;
        const s = enc(e, depth + 1);
        if (s === undefined) continue;
        parts.push(nl + goJsonString(k, escapeHtml) + sep + s);
      }
      if (parts.length === 0) return '{}';
      return '{' + parts.join(',') + close + '}';
    } finally {
      seen.delete(obj);
    }
  };
  return enc(value, 0) ?? 'null';
}
