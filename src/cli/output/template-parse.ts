/**
 * Parses lexed items into a tree, as Go's text/template/parse does: actions, if/else if/else,
 * range (with `$i, $v :=`), with, break/continue, pipelines, variables. Unknown functions and
 * undefined variables are parse errors, as in Go.
 */
import { type Item, type Token, TemplateSyntaxError, lexTemplate } from './template-lex.js';

export interface Pipe {
  pos: number;
  src: string;
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

export interface Command {
  pos: number;
  src: string;
  args: Arg[];
}

export type Arg =
  | { t: 'field'; names: string[]; pos: number; src: string }
  | { t: 'chain'; node: Arg; names: string[]; pos: number; src: string }
  | { t: 'var'; name: string; names: string[]; pos: number; src: string }
  | { t: 'dot'; pos: number; src: string }
  | { t: 'ident'; name: string; pos: number; src: string }
  | { t: 'string'; value: string; pos: number; src: string }
  | { t: 'number'; value: number; pos: number; src: string }
  | { t: 'bool'; value: boolean; pos: number; src: string }
  | { t: 'nil'; pos: number; src: string }
  | { t: 'pipe'; pipe: Pipe; pos: number; src: string };

export type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe }
  | ControlNode<'if'>
  | ControlNode<'with'>
  | ControlNode<'range'>
  | { t: 'break' | 'continue'; pos: number };

export interface ControlNode<K extends 'if' | 'with' | 'range'> {
  t: K;
  pipe: Pipe;
  list: Node[];
  elseList?: Node[];
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

interface Ctx {
  src: string;
  items: Item[];
  i: number;
  vars: string[];
  rangeDepth: number;
  funcs: ReadonlySet<string>;
}

type Stop = { kind: 'end' } | { kind: 'else'; tokens: Token[]; pos: number } | { kind: 'eof' };

function slice(ctx: Ctx, from: number, to: number): string {
  return ctx.src.slice(from, to);
}

function describe(tok: Token | undefined, ctx: Ctx): string {
  if (!tok) return '}}';
  return `<${slice(ctx, tok.pos, tok.end)}>`;
}

/** Parses a pipeline from tokens[start..end) (the whole action for the top level). */
function parsePipe(ctx: Ctx, toks: Token[], context: string, allowDecl: boolean, maxDecl = 1): Pipe {
  let k = 0;
  const decl: string[] = [];
  let isAssign = false;
  const pos = toks[0]?.pos ?? 0;
  // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
  if (allowDecl && toks[0]?.kind === 'var' && toks[0].names!.length === 0) {
    const t1 = toks[1];
    if (t1?.kind === 'declare' || t1?.kind === 'assign') {
      decl.push(toks[0].value as string);
      isAssign = t1.kind === 'assign';
      k = 2;
    } else if (t1?.kind === 'comma' && maxDecl > 1) {
      const t2 = toks[2];
      const t3 = toks[3];
      if (t2?.kind !== 'var' || t2.names!.length > 0 || (t3?.kind !== 'declare' && t3?.kind !== 'assign')) {
        throw new TemplateSyntaxError(`too many declarations in ${context}`, toks[1].pos);
      }
      decl.push(toks[0].value as string, t2.value as string);
      isAssign = t3.kind === 'assign';
      k = 4;
    }
    for (const v of decl) {
      if (isAssign && !ctx.vars.includes(v))
        throw new TemplateSyntaxError(`undefined variable "${v}"`, toks[0].pos);
    }
  }
  const { cmds, next } = parseCommands(ctx, toks, k);
  if (next < toks.length)
    throw new TemplateSyntaxError(`unexpected ${describe(toks[next], ctx)} in ${context}`, toks[next].pos);
  if (cmds.length === 0) throw new TemplateSyntaxError(`missing value for ${context}`, pos);
  if (!isAssign) ctx.vars.push(...decl);
  const end = toks.length ? toks[toks.length - 1].end : pos;
  return { pos, src: slice(ctx, pos, end), decl, isAssign, cmds };
}

/** Commands separated by `|`, stopping at a `)` or the end. */
function parseCommands(ctx: Ctx, toks: Token[], k: number): { cmds: Command[]; next: number } {
  const cmds: Command[] = [];
  for (;;) {
    const args: Arg[] = [];
    const cmdPos = toks[k]?.pos ?? 0;
    while (k < toks.length && toks[k].kind !== 'pipe' && toks[k].kind !== 'rparen') {
      const r = parseOperand(ctx, toks, k);
      args.push(r.arg);
      k = r.next;
    }
    if (args.length === 0) {
      if (k < toks.length && toks[k].kind === 'pipe')
        throw new TemplateSyntaxError('missing command', toks[k].pos);
      if (cmds.length > 0) throw new TemplateSyntaxError('missing command', toks[k - 1]?.pos ?? 0);
      return { cmds, next: k };
    }
    const last = args[args.length - 1];
    cmds.push({ pos: cmdPos, src: slice(ctx, cmdPos, last.pos + last.src.length), args });
    if (args[0].t === 'nil') throw new TemplateSyntaxError('nil is not a command', args[0].pos);
    if (k < toks.length && toks[k].kind === 'pipe') {
      k++;
      continue;
    }
    for (let n = 1; n < cmds.length; n++) {
      const a0 = cmds[n].args[0];
      if (a0.t === 'bool' || a0.t === 'string' || a0.t === 'number' || a0.t === 'nil' || a0.t === 'dot') {
        throw new TemplateSyntaxError(`non executable command in pipeline stage ${n + 1}`, a0.pos);
      }
    }
    return { cmds, next: k };
  }
}

function parseOperand(ctx: Ctx, toks: Token[], k: number): { arg: Arg; next: number } {
  const tok = toks[k];
  const src = slice(ctx, tok.pos, tok.end);
  let arg: Arg;
  let next = k + 1;
  switch (tok.kind) {
    case 'field':
      arg = { t: 'field', names: tok.names!, pos: tok.pos, src };
      break;
    case 'dot':
      arg = { t: 'dot', pos: tok.pos, src };
      break;
    case 'var': {
      const name = tok.value as string;
      if (!ctx.vars.includes(name)) throw new TemplateSyntaxError(`undefined variable "${name}"`, tok.pos);
      arg = { t: 'var', name, names: tok.names!, pos: tok.pos, src };
      break;
    }
    case 'ident': {
      const name = tok.value as string;
      if (KEYWORDS.has(name)) throw new TemplateSyntaxError(`unexpected <${name}> in command`, tok.pos);
      if (!ctx.funcs.has(name)) throw new TemplateSyntaxError(`function "${name}" not defined`, tok.pos);
      arg = { t: 'ident', name, pos: tok.pos, src };
      break;
    }
    case 'string':
      arg = { t: 'string', value: tok.value as string, pos: tok.pos, src };
      break;
    case 'number':
      arg = { t: 'number', value: tok.value as number, pos: tok.pos, src };
      break;
    case 'bool':
      arg = { t: 'bool', value: tok.value as boolean, pos: tok.pos, src };
      break;
    case 'nil':
      arg = { t: 'nil', pos: tok.pos, src };
      break;
    case 'lparen': {
      const inner = parseCommands(ctx, toks, k + 1);
      const close = toks[inner.next];
      if (close?.kind !== 'rparen') throw new TemplateSyntaxError('unclosed left paren', tok.pos);
      if (inner.cmds.length === 0)
        throw new TemplateSyntaxError('missing value for parenthesized pipeline', tok.pos);
      const psrc = slice(ctx, tok.pos, close.end);
      const pipe: Pipe = {
        pos: tok.pos + 1,
        src: slice(ctx, tok.pos + 1, close.pos),
        decl: [],
        isAssign: false,
        cmds: inner.cmds,
      };
      arg = { t: 'pipe', pipe, pos: tok.pos, src: psrc };
      next = inner.next + 1;
      break;
    }
    default:
      throw new TemplateSyntaxError(`unexpected ${describe(tok, ctx)} in operand`, tok.pos);
  }
  // `(pipeline).Field` and `"s".Field` style chains: a field token glued to the operand.
  const after = toks[next];
  if (after && after.kind === 'field' && !after.spaced && arg.t !== 'field' && arg.t !== 'var') {
    const src2 = slice(ctx, arg.pos, after.end);
    if (arg.t === 'dot')
      throw new TemplateSyntaxError(`unexpected ${describe(after, ctx)} in operand`, after.pos);
    arg = { t: 'chain', node: arg, names: after.names!, pos: arg.pos, src: src2 };
    next++;
  }
  return { arg, next };
}

function lineOf(src: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos && i < src.length; i++) if (src[i] === '\n') n++;
  return n;
}

function parseList(ctx: Ctx, inControl: boolean): { nodes: Node[]; stop: Stop } {
  const nodes: Node[] = [];
  while (ctx.i < ctx.items.length) {
    const item = ctx.items[ctx.i++];
    if (item.kind === 'text') {
      nodes.push({ t: 'text', text: item.text });
      continue;
    }
    const toks = item.tokens;
    const first = toks[0];
    const kw =
      first?.kind === 'ident' && KEYWORDS.has(first.value as string) ? (first.value as string) : undefined;
    if (kw === 'end' || kw === 'else') {
      if (!inControl) throw new TemplateSyntaxError(`unexpected {{${kw}}}`, item.pos);
      if (kw === 'end') {
        if (toks.length > 1)
          throw new TemplateSyntaxError(`unexpected ${describe(toks[1], ctx)} in end`, toks[1].pos);
        return { nodes, stop: { kind: 'end' } };
      }
      return { nodes, stop: { kind: 'else', tokens: toks.slice(1), pos: item.pos } };
    }
    if (kw === 'if' || kw === 'with' || kw === 'range') {
      nodes.push(parseControl(ctx, kw, toks.slice(1), item.pos));
      continue;
    }
    if (kw === 'break' || kw === 'continue') {
      if (ctx.rangeDepth === 0) throw new TemplateSyntaxError(`{{${kw}}} outside {{range}}`, item.pos);
      if (toks.length > 1)
        throw new TemplateSyntaxError(`unexpected ${describe(toks[1], ctx)} in {{${kw}}}`, toks[1].pos);
      nodes.push({ t: kw, pos: item.pos });
      continue;
    }
    if (kw) throw new TemplateSyntaxError(`{{${kw}}} is not supported in --format templates`, item.pos);
    if (toks.length === 0) throw new TemplateSyntaxError('missing value for command', item.pos);
    nodes.push({ t: 'action', pipe: parsePipe(ctx, toks, 'command', true) });
  }
  if (inControl) throw new TemplateSyntaxError('unexpected EOF', ctx.src.length);
  return { nodes, stop: { kind: 'eof' } };
}

function parseControl(ctx: Ctx, kind: 'if' | 'with' | 'range', toks: Token[], pos: number): Node {
  return parseControlNode(ctx, kind, toks, pos) as Node;
}

function parseControlNode<K extends 'if' | 'with' | 'range'>(
  ctx: Ctx,
  kind: K,
  toks: Token[],
  pos: number,
): ControlNode<K> {
  const mark = ctx.vars.length;
  if (toks.length === 0) throw new TemplateSyntaxError(`missing value for ${kind}`, pos);
  const pipe = parsePipe(ctx, toks, kind, true, kind === 'range' ? 2 : 1);
  if (kind === 'range') ctx.rangeDepth++;
  const body = parseList(ctx, true);
  if (kind === 'range') ctx.rangeDepth--;
  let elseList: Node[] | undefined;
  if (body.stop.kind === 'else') {
    const et = body.stop.tokens;
    const chained = kind !== 'range' && et[0]?.kind === 'ident' && et[0].value === kind;
    if (chained) {
      // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` sharing one {{end}}.
      elseList = [parseControl(ctx, kind, et.slice(1), body.stop.pos)];
    } else {
      if (et.length > 0)
        throw new TemplateSyntaxError(`unexpected ${describe(et[0], ctx)} in else`, et[0].pos);
      const alt = parseList(ctx, true);
      if (alt.stop.kind === 'else')
        throw new TemplateSyntaxError('expected end; found {{else}}', alt.stop.pos);
      elseList = alt.nodes;
    }
  }
  ctx.vars.length = mark;
  return { t: kind, pipe, list: body.nodes, elseList };
}

export class TemplateParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Parses `src`; throws TemplateParseError (with Go's line number) on bad syntax. */
export function parseTemplate(src: string, funcs: ReadonlySet<string>): Node[] {
  try {
    const ctx: Ctx = { src, items: lexTemplate(src), i: 0, vars: ['$'], rangeDepth: 0, funcs };
    return parseList(ctx, false).nodes;
  } catch (e) {
    if (e instanceof TemplateSyntaxError) throw new TemplateParseError(e.message, lineOf(src, e.pos));
    throw e;
  }
}
