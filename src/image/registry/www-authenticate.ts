/**
 * WWW-Authenticate parsing (RFC 7235): one header may carry several challenges, and a
 * response may carry several headers. Registries send `Bearer realm=...,service=...,scope=...`
 * or `Basic realm=...`.
 */
export interface Challenge {
  /** Lower-cased auth scheme: 'bearer', 'basic', ... */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*/y;

export function parseWwwAuthenticate(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const headers = Array.isArray(header) ? header : [header];
  return headers.flatMap(parseOne);
}

function parseOne(s: string): Challenge[] {
  const out: Challenge[] = [];
  let current: Challenge | undefined;
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < s.length && chars.test(s[i])) i++;
  };
  while (i < s.length) {
    skip(/[\s,]/);
    if (i >= s.length) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    if (!m) {
      // Garbage: skip to the next comma and try again.
      const next = s.indexOf(',', i);
      if (next < 0) break;
      i = next + 1;
      continue;
    }
    const word = m[0];
    i += word.length;
    skip(/[ \t]/);
    if (s[i] === '=' && current) {
      i++;
      skip(/[ \t]/);
      current.params[word.toLowerCase()] = readValue();
      continue;
    }
    current = { scheme: word.toLowerCase(), params: {} };
    out.push(current);
    // A token68 (`Negotiate abc==`) right after the scheme is not a parameter: skip it.
    TOKEN68.lastIndex = i;
    const t = TOKEN68.exec(s);
    if (t && /^[ \t]*(,|$)/.test(s.slice(i + t[0].length))) i += t[0].length;
  }
  return out;

  function readValue(): string {
    if (s[i] === '"') {
      i++;
      let v = '';
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i++];
      }
      i++; // closing quote
      return v;
    }
    const end = s.slice(i).search(/[\s,]/);
    const v = end < 0 ? s.slice(i) : s.slice(i, i + end);
    i += v.length;
    return v;
  }
}
