/**
 * Splits a Go text/template source into text and actions, and an action into tokens.
 * Trim markers (`{{- ` and ` -}}`) are applied here; comments (`{{/* ... *\/}}`) vanish.
 */

export type TokenKind =
  | 'field' // .A.B (names)
  | 'dot' // .
  | 'var' // $x or $x.A.B (value: '$x', names)
  | 'ident' // a function name or keyword
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare' // :=
  | 'assign' // =
  | 'comma';

export interface Token {
  kind: TokenKind;
  /** Offset in the template source. */
  pos: number;
  end: number;
  /** Whether white space precedes the token (`$x.A` vs `$x .A`, `(f).A`). */
  spaced: boolean;
  value?: string | number | boolean;
  names?: string[];
}

export type Item =
  | { kind: 'text'; text: string; pos: number }
  | { kind: 'action'; tokens: Token[]; pos: number };

/** A parse error at an offset; the parser turns it into Go's `template: name:line: msg`. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const SPACE = /[ \t\r\n]/;
const FIELD_CHAIN = /^(?:\.[\p{L}_][\p{L}\p{N}_]*)+/u;
const IDENT = /^[\p{L}_][\p{L}\p{N}_]*/u;
const VAR = /^\$[\p{L}\p{N}_]*/u;
const NUMBER =
  /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;

function isSpace(c: string | undefined): boolean {
  return c !== undefined && SPACE.test(c);
}

function trimLeftSpace(s: string): string {
  return s.replace(/^[ \t\r\n]+/, '');
}

function trimRightSpace(s: string): string {
  return s.replace(/[ \t\r\n]+$/, '');
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Unquotes a Go interpreted string or rune literal body (without quotes). */
function unquote(body: string, pos: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n)
        throw new TemplateSyntaxError('invalid syntax', pos);
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += n;
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new TemplateSyntaxError('invalid syntax', pos);
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
    } else throw new TemplateSyntaxError('invalid syntax', pos);
  }
  return out;
}

function parseNumber(text: string, pos: number): number {
  const clean = text.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  let n: number;
  if (/^0[xX]/.test(body)) n = Number.parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = Number.parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) n = Number.parseInt(body.slice(2), 8);
  else if (/^0\d+$/.test(body)) n = Number.parseInt(body, 8);
  else n = Number(body);
  if (Number.isNaN(n)) throw new TemplateSyntaxError(`bad number syntax: "${text}"`, pos);
  return sign * n;
}

/**
 * Lexes one action starting after `{{` (and its trim marker) at `p`. Returns the tokens,
 * the offset after `}}` and whether a right trim marker was present.
 */
function lexAction(src: string, p: number): { tokens: Token[]; next: number; trimRight: boolean } {
  const tokens: Token[] = [];
  let parenDepth = 0;
  for (;;) {
    const before = p;
    while (isSpace(src[p])) p++;
    const spaced = p > before;
    if (p >= src.length) throw new TemplateSyntaxError('unclosed action', p);
    if (spaced && src.startsWith('-}}', p)) return { tokens, next: p + 3, trimRight: true };
    if (src.startsWith('}}', p)) {
      if (parenDepth > 0) throw new TemplateSyntaxError('unclosed left paren', p);
      return { tokens, next: p + 2, trimRight: false };
    }
    const c = src[p];
    const rest = src.slice(p);
    const push = (kind: TokenKind, len: number, extra: Partial<Token> = {}) => {
      tokens.push({ kind, pos: p, end: p + len, spaced, ...extra });
      p += len;
    };
    if (c === '|') push('pipe', 1);
    else if (c === '(') {
      parenDepth++;
      push('lparen', 1);
    } else if (c === ')') {
      if (--parenDepth < 0) throw new TemplateSyntaxError('unexpected right paren', p);
      push('rparen', 1);
    } else if (c === ',') push('comma', 1);
    else if (rest.startsWith(':=')) push('declare', 2);
    else if (c === '=') push('assign', 1);
    else if (c === '"') {
      let q = p + 1;
      while (q < src.length && src[q] !== '"') {
        if (src[q] === '\\') q++;
        if (src[q] === '\n' || q >= src.length)
          throw new TemplateSyntaxError('unterminated quoted string', p);
        q++;
      }
      if (q >= src.length) throw new TemplateSyntaxError('unterminated quoted string', p);
      push('string', q + 1 - p, { value: unquote(src.slice(p + 1, q), p) });
    } else if (c === '`') {
      const q = src.indexOf('`', p + 1);
      if (q < 0) throw new TemplateSyntaxError('unterminated raw quoted string', p);
      push('string', q + 1 - p, { value: src.slice(p + 1, q) });
    } else if (c === "'") {
      let q = p + 1;
      while (q < src.length && src[q] !== "'") q += src[q] === '\\' ? 2 : 1;
      if (q >= src.length) throw new TemplateSyntaxError('unterminated character constant', p);
      const ch = unquote(src.slice(p + 1, q), p);
      if ([...ch].length !== 1)
        throw new TemplateSyntaxError(`malformed character constant: ${src.slice(p, q + 1)}`, p);
      push('number', q + 1 - p, { value: ch.codePointAt(0)! });
    } else if (c === '.' && FIELD_CHAIN.test(rest)) {
      const m = FIELD_CHAIN.exec(rest)![0];
      push('field', m.length, { names: m.slice(1).split('.') });
    } else if (c === '$') {
      const name = VAR.exec(rest)![0];
      const chain = FIELD_CHAIN.exec(src.slice(p + name.length));
      const len = name.length + (chain ? chain[0].length : 0);
      push('var', len, { value: name, names: chain ? chain[0].slice(1).split('.') : [] });
    } else if (/^[+-]?(?:\d|\.\d)/.test(rest)) {
      const m = NUMBER.exec(rest)![0];
      push('number', m.length, { value: parseNumber(m, p) });
    } else if (c === '.') push('dot', 1);
    else if (IDENT.test(rest)) {
      const m = IDENT.exec(rest)![0];
      if (m === 'true' || m === 'false') push('bool', m.length, { value: m === 'true' });
      else if (m === 'nil') push('nil', m.length);
      else push('ident', m.length, { value: m });
    } else {
      const cp = src.codePointAt(p)!;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      throw new TemplateSyntaxError(`bad character U+${hex} '${String.fromCodePoint(cp)}'`, p);
    }
  }
}

/** Splits `src` into text and action items. */
export function lexTemplate(src: string): Item[] {
  const items: Item[] = [];
  let p = 0;
  let trimNext = false;
  while (p <= src.length) {
    const open = src.indexOf('{{', p);
    let text = src.slice(p, open < 0 ? src.length : open);
    if (trimNext) text = trimLeftSpace(text);
    if (open < 0) {
      if (text) items.push({ kind: 'text', text, pos: p });
      break;
    }
    let q = open + 2;
    const trimLeft = src[q] === '-' && isSpace(src[q + 1]);
    if (trimLeft) {
      text = trimRightSpace(text);
      q += 2;
    }
    if (text) items.push({ kind: 'text', text, pos: p });
    let afterSpace = q;
    while (isSpace(src[afterSpace])) afterSpace++;
    if (src.startsWith('/*', trimLeft ? afterSpace : q)) {
      const start = trimLeft ? afterSpace : q;
      const close = src.indexOf('*/', start + 2);
      if (close < 0) throw new TemplateSyntaxError('unclosed comment', open);
      let r = close + 2;
      let trimRight = false;
      if (src.startsWith(' -}}', r) || /^[\t\r\n]-}}/.test(src.slice(r, r + 4))) {
        trimRight = true;
        r += 4;
      } else if (src.startsWith('}}', r)) r += 2;
      else throw new TemplateSyntaxError('comment ends before closing delimiter', open);
      trimNext = trimRight;
      p = r;
      continue;
    }
    const { tokens, next, trimRight } = lexAction(src, q);
    items.push({ kind: 'action', tokens, pos: open });
    trimNext = trimRight;
    p = next;
  }
  return items;
}
