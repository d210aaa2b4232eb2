/**
 * Executes a parsed template the way Go's text/template does, over plain JS data:
 * - a plain object is a Go struct: a missing field is an error (`can't evaluate field X in
 *   type T`); a Map, or an object marked with goMap(), is a Go map: a missing key is Go's
 *   invalid value (prints `<no value>`);
 * - `undefined` is Go's invalid value, `null` a nil pointer (evaluating a field of it fails);
 * - a function-valued field is a method: it is called (with the action's arguments).
 * Functions are docker/cli's set (json split join title lower upper pad truncate) plus Go's
 * builtins (and or not len index slice print printf println eq ne lt le gt ge).
 */
import { goJson } from './gojson.js';
import { goTypeName, printValue, sortedEntries, sprint, sprintf, sprintln } from './gofmt.js';
import type { Arg, Command, ControlNode, Node, Pipe } from './template-parse.js';

/** Marks an object as a Go map (missing keys print `<no value>` instead of failing). */
export const GO_MAP: unique symbol = Symbol.for('berth.template.goMap');
/** The Go type name an object reports in errors, e.g. `*formatter.ContainerContext`. */
export const GO_TYPE: unique symbol = Symbol.for('berth.template.goType');

export function goMap<T extends object>(o: T): T {
  Object.defineProperty(o, GO_MAP, { value: true, enumerable: false });
  return o;
}

export function withGoType<T extends object>(o: T, typeName: string): T {
  Object.defineProperty(o, GO_TYPE, { value: typeName, enumerable: false });
  return o;
}

/** The data of a table's header row: every field evaluates to its column header. */
export class HeaderSource {
  constructor(readonly lookup: (names: readonly string[]) => string) {}
}

/** An execution failure, located at a node (`<.Foo>` in Go's message). */
export class TemplateExecError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly context: string,
  ) {
    super(message);
  }
}

/** Thrown by functions; becomes `error calling <name>: <message>`. */
class FuncError extends Error {}
/** A type mismatch in a function's arguments; reported without the `error calling` prefix. */
class ArgTypeError extends Error {}

class BreakSignal {}
class ContinueSignal {}

interface FuncDef {
  min: number;
  max: number;
  fn: (args: unknown[]) => unknown;
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isGoMap(v: unknown): boolean {
  return v instanceof Map || (isObject(v) && (v as { [GO_MAP]?: boolean })[GO_MAP] === true);
}

function structTypeName(v: object, rootType: string | undefined, isRoot: boolean): string {
  const marked = (v as { [GO_TYPE]?: string })[GO_TYPE];
  if (marked) return marked;
  if (isRoot && rootType) return rootType;
  const ctor = Object.getPrototypeOf(v)?.constructor;
  if (ctor && ctor !== Object && ctor.name) return ctor.name;
  return isRoot ? 'struct' : goTypeName(v);
}

/** Go's truth: false, 0, nil and empty strings, slices and maps are false. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'string':
      return v.length > 0;
    case 'function':
      return true;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (v instanceof Date || v instanceof HeaderSource) return true;
  if ((v as { [GO_TYPE]?: string })[GO_TYPE]) return true;
  // Data from JSON carries maps as plain objects; an empty one is an empty map, not a struct.
  return Object.keys(v).length > 0;
}

function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  throw new ArgTypeError(`wrong type for value; expected string; got ${goTypeName(v)}`);
}

function asInt(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new ArgTypeError(`wrong type for value; expected int; got ${goTypeName(v)}`);
}

function asStringList(v: unknown): string[] {
  if (Array.isArray(v) && v.every((e) => typeof e === 'string')) return v;
  if (Array.isArray(v)) return v.map((e) => printValue(e));
  throw new ArgTypeError(`wrong type for value; expected []string; got ${goTypeName(v)}`);
}

/** strings.Title: upper-cases the first letter of each word. */
function title(s: string): string {
  let prevSep = true;
  let out = '';
  for (const ch of s) {
    out += prevSep ? ch.toUpperCase() : ch;
    const ascii = ch.length === 1 && ch.charCodeAt(0) < 0x80;
    prevSep = ascii ? !/[A-Za-z0-9_]/.test(ch) : /\s/u.test(ch);
  }
  return out;
}

type Kind = 'bool' | 'number' | 'string' | 'invalid' | 'other';

function basicKind(v: unknown): Kind {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  return 'other';
}

function eq(args: unknown[]): boolean {
  const [a, ...rest] = args;
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new FuncError('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') {
      if (Array.isArray(a) || isGoMap(a) || Array.isArray(b) || isGoMap(b) || typeof a === 'function') {
        throw new FuncError(`non-comparable type ${printValue(a)}: ${goTypeName(a)}`);
      }
    }
    if (k1 === 'invalid' || a === b) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== 'number' && k1 !== 'string') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw new FuncError('incompatible types for comparison');
  return (a as number | string) < (b as number | string);
}

function len(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (isObject(v) && isGoMap(v)) return Object.keys(v).length;
  if (isObject(v) && !(v instanceof Date)) return Object.keys(v).length;
  throw new FuncError(`len of type ${goTypeName(v)}`);
}

/** The zero value Go returns for a missing map key, guessed from the map's other values. */
function mapZero(values: unknown[]): unknown {
  if (values.length === 0 || values.every((e) => typeof e === 'string')) return '';
  if (values.every((e) => typeof e === 'number')) return 0;
  if (values.every((e) => typeof e === 'boolean')) return false;
  return undefined;
}

function indexArg(i: unknown, length: number, cap = length): number {
  if (i === undefined || i === null) throw new FuncError('cannot index slice/array with nil');
  if (typeof i !== 'number' || !Number.isInteger(i))
    throw new FuncError(`cannot index slice/array with type ${goTypeName(i)}`);
  if (i < 0 || i > cap) throw new FuncError(`index out of range: ${i}`);
  return i;
}

function index(args: unknown[]): unknown {
  let item = args[0];
  if (item === undefined) throw new FuncError('index of untyped nil');
  for (const key of args.slice(1)) {
    if (item === null || item === undefined) throw new FuncError('index of nil pointer');
    if (typeof item === 'string') {
      const bytes = Buffer.from(item, 'utf8');
      const i = indexArg(key, bytes.length);
      if (i === bytes.length) throw new FuncError(`index out of range: ${i}`);
      item = bytes[i];
    } else if (Array.isArray(item)) {
      const i = indexArg(key, item.length);
      if (i === item.length) throw new FuncError(`index out of range: ${i}`);
      item = item[i];
    } else if (item instanceof Map) {
      item = item.has(key) ? item.get(key) : mapZero([...item.values()]);
    } else if (isObject(item) && !(item instanceof Date)) {
      const k = String(key);
      item = Object.hasOwn(item, k) ? (item as Record<string, unknown>)[k] : mapZero(Object.values(item));
    } else throw new FuncError(`can't index item of type ${goTypeName(item)}`);
    if (typeof item === 'function') item = (item as () => unknown)();
  }
  return item;
}

function sliceFn(args: unknown[]): unknown {
  const [item, ...idx] = args;
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  if (typeof item === 'string') {
    if (idx.length === 3) throw new FuncError('cannot 3-index slice a string');
    const bytes = Buffer.from(item, 'utf8');
    const i = idx.length > 0 ? indexArg(idx[0], bytes.length) : 0;
    const j = idx.length > 1 ? indexArg(idx[1], bytes.length) : bytes.length;
    if (j < i) throw new FuncError(`invalid slice index: ${i} > ${j}`);
    return bytes.subarray(i, j).toString('utf8');
  }
  if (Array.isArray(item)) {
    const i = idx.length > 0 ? indexArg(idx[0], item.length) : 0;
    const j = idx.length > 1 ? indexArg(idx[1], item.length) : item.length;
    if (j < i) throw new FuncError(`invalid slice index: ${i} > ${j}`);
    return item.slice(i, j);
  }
  throw new FuncError(`can't slice item of type ${goTypeName(item)}`);
}

const VARIADIC = Number.POSITIVE_INFINITY;

function def(min: number, max: number, fn: (args: unknown[]) => unknown): FuncDef {
  return { min, max, fn };
}

const BUILTINS: Record<string, FuncDef> = {
  not: def(1, 1, ([a]) => !isTrue(a)),
  len: def(1, 1, ([a]) => len(a)),
  index: def(1, VARIADIC, index),
  slice: def(1, VARIADIC, sliceFn),
  print: def(0, VARIADIC, sprint),
  printf: def(1, VARIADIC, ([f, ...rest]) => sprintf(asString(f), rest)),
  println: def(0, VARIADIC, sprintln),
  eq: def(1, VARIADIC, eq),
  ne: def(2, 2, ([a, b]) => !eq([a, b])),
  lt: def(2, 2, ([a, b]) => lt(a, b)),
  le: def(2, 2, ([a, b]) => lt(a, b) || eq([a, b])),
  gt: def(2, 2, ([a, b]) => !(lt(a, b) || eq([a, b]))),
  ge: def(2, 2, ([a, b]) => !lt(a, b)),
  // docker/cli's templates.basicFunctions
  json: def(1, 1, ([v]) => {
    try {
      return goJson(v, { escapeHtml: false });
    } catch {
      // Docker ignores the encoder's error and prints what it wrote: nothing.
      return '';
    }
  }),
  split: def(2, 2, ([s, sep]) => {
    const str = asString(s);
    const sp = asString(sep);
    return sp === '' ? [...str] : str.split(sp);
  }),
  join: def(2, 2, ([list, sep]) => asStringList(list).join(asString(sep))),
  title: def(1, 1, ([s]) => title(asString(s))),
  lower: def(1, 1, ([s]) => asString(s).toLowerCase()),
  upper: def(1, 1, ([s]) => asString(s).toUpperCase()),
  pad: def(3, 3, ([s, pre, post]) => {
    const str = asString(s);
    return str === ''
      ? str
      : ' '.repeat(Math.max(0, asInt(pre))) + str + ' '.repeat(Math.max(0, asInt(post)));
  }),
  truncate: def(2, 2, ([s, n]) => {
    const chars = [...asString(s)];
    const length = asInt(n);
    return chars.length < length ? chars.join('') : chars.slice(0, Math.max(0, length)).join('');
  }),
};

/**
 * docker/cli's HeaderFunctions: in a table's header row these return their first argument,
 * so `{{upper .Names}}` still shows the NAMES header. We also pass `index` through, so
 * `{{index .Labels "k"}}` gets the LABELS header instead of cutting the header row short.
 */
const HEADER_PASSTHROUGH: Record<string, FuncDef> = Object.fromEntries(
  ['json', 'split', 'join', 'title', 'lower', 'upper', 'truncate', 'index'].map((name) => [
    name,
    def(BUILTINS[name].min, BUILTINS[name].max, ([v]) => (name === 'index' ? v : asString(v))),
  ]),
);

export const FUNCTION_NAMES: ReadonlySet<string> = new Set([...Object.keys(BUILTINS), 'and', 'or']);

interface Variable {
  name: string;
  value: unknown;
}

const NO_FINAL: unique symbol = Symbol('noFinal');
type Final = unknown | typeof NO_FINAL;

export interface ExecOptions {
  /** Go type of the root data for error messages. */
  rootType?: string;
}

export class Executor {
  private out = '';
  private vars: Variable[];
  private readonly header: boolean;

  constructor(
    private readonly root: unknown,
    private readonly options: ExecOptions = {},
  ) {
    this.vars = [{ name: '$', value: root }];
    this.header = root instanceof HeaderSource;
  }

  run(nodes: Node[]): string {
    this.walkList(this.root, nodes);
    return this.out;
  }

  /** Whatever was written before a failure (Docker prints a partial header row). */
  partial(): string {
    return this.out;
  }

  private walkList(dot: unknown, nodes: Node[]): void {
    for (const n of nodes) this.walk(dot, n);
  }

  private walk(dot: unknown, node: Node): void {
    switch (node.t) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.out += this.printable(v, node.pipe);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walkList(node.t === 'with' ? v : dot, node.list);
        else if (node.elseList) this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private printable(v: unknown, pipe: Pipe): string {
    if (v instanceof HeaderSource) return '';
    if (typeof v === 'function')
      throw new TemplateExecError(`can't print ${pipe.src} of type func`, pipe.pos, pipe.src);
    return printValue(v);
  }

  private walkRange(dot: unknown, node: ControlNode<'range'>): void {
    const mark = this.vars.length;
    const pipe = node.pipe;
    // The declared variables get the key/value per iteration, not the pipeline's value.
    const val = this.evalPipeline(dot, { ...pipe, decl: [] });
    const decl = pipe.decl;
    const entries: [unknown, unknown][] = [];
    if (val === undefined || val === null) {
      // Go: ranging over an invalid value (a nil map) is no iteration, not an error.
    } else if (Array.isArray(val)) {
      for (let i = 0; i < val.length; i++) entries.push([i, val[i]]);
    } else if (typeof val === 'number' && Number.isInteger(val)) {
      if (decl.length > 1)
        throw new TemplateExecError("can't use a pair of variables with an int", pipe.pos, pipe.src);
      for (let i = 0; i < val; i++) entries.push([i, i]);
    } else if (isObject(val) && !(val instanceof Date) && !(val instanceof HeaderSource)) {
      for (const [k, e] of sortedEntries(val)) entries.push([k, e]);
    } else throw new TemplateExecError(`range can't iterate over ${printValue(val)}`, pipe.pos, pipe.src);
    if (entries.length === 0) {
      if (node.elseList) this.walkList(dot, node.elseList);
      this.vars.length = mark;
      return;
    }
    for (const [k, e] of entries) {
      const elem = typeof e === 'function' ? (e as () => unknown)() : e;
      this.vars.length = mark;
      if (decl.length === 1) this.setDecl(decl[0], elem, pipe.isAssign);
      if (decl.length === 2) {
        this.setDecl(decl[0], k, pipe.isAssign);
        this.setDecl(decl[1], elem, pipe.isAssign);
      }
      try {
        this.walkList(elem, node.list);
      } catch (sig) {
        if (sig instanceof BreakSignal) break;
        if (sig instanceof ContinueSignal) continue;
        throw sig;
      }
    }
    this.vars.length = mark;
  }

  private setDecl(name: string, value: unknown, isAssign: boolean): void {
    if (isAssign) this.setVar(name, value);
    else this.vars.push({ name, value });
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
  }

  private getVar(name: string, node: Arg): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    throw new TemplateExecError(`undefined variable: ${name}`, node.pos, node.src);
  }

  private evalPipeline(dot: unknown, pipe: Pipe): unknown {
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const name of pipe.decl) this.setDecl(name, value, pipe.isAssign);
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, final: Final): unknown {
    const [first, ...rest] = cmd.args;
    switch (first.t) {
      case 'field':
        return this.evalFieldChain(dot, dot, first.names, first, rest, final, true);
      case 'chain': {
        const recv = this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, recv, first.names, first, rest, final, false);
      }
      case 'var': {
        const v = this.getVar(first.name, first);
        if (first.names.length > 0)
          return this.evalFieldChain(dot, v, first.names, first, rest, final, first.name === '$');
        this.notAFunction(cmd, rest, final);
        return v;
      }
      case 'ident':
        return this.evalFunction(dot, first.name, cmd, rest, final);
      default:
        this.notAFunction(cmd, rest, final);
        return this.evalArg(dot, first);
    }
  }

  private notAFunction(cmd: Command, args: Arg[], final: Final): void {
    if (args.length > 0 || final !== NO_FINAL) {
      throw new TemplateExecError(`can't give argument to non-function ${cmd.args[0].src}`, cmd.pos, cmd.src);
    }
  }

  private evalArg(dot: unknown, arg: Arg): unknown {
    switch (arg.t) {
      case 'dot':
        return dot;
      case 'string':
      case 'number':
      case 'bool':
        return arg.value;
      case 'nil':
        return null;
      case 'field':
        return this.evalFieldChain(dot, dot, arg.names, arg, [], NO_FINAL, true);
      case 'chain':
        return this.evalFieldChain(dot, this.evalArg(dot, arg.node), arg.names, arg, [], NO_FINAL, false);
      case 'var': {
        const v = this.getVar(arg.name, arg);
        return arg.names.length > 0
          ? this.evalFieldChain(dot, v, arg.names, arg, [], NO_FINAL, arg.name === '$')
          : v;
      }
      case 'ident':
        return this.evalFunction(dot, arg.name, { pos: arg.pos, src: arg.src, args: [arg] }, [], NO_FINAL);
      case 'pipe':
        return this.evalPipeline(dot, arg.pipe);
    }
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    names: string[],
    node: Arg,
    args: Arg[],
    final: Final,
    fromRoot: boolean,
  ): unknown {
    if (receiver instanceof HeaderSource) return receiver.lookup(names);
    let v = receiver;
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      v = this.evalField(
        dot,
        names[i],
        node,
        last ? args : [],
        last ? final : NO_FINAL,
        v,
        fromRoot && i === 0,
      );
    }
    return v;
  }

  private evalField(
    dot: unknown,
    name: string,
    node: Arg,
    args: Arg[],
    final: Final,
    receiver: unknown,
    isRoot: boolean,
  ): unknown {
    const fail = (msg: string): never => {
      throw new TemplateExecError(msg, node.pos, node.src);
    };
    const hasArgs = args.length > 0 || final !== NO_FINAL;
    // Go's invalid value (a missing map key) yields invalid again, printed as <no value>.
    if (receiver === undefined) return undefined;
    if (receiver === null)
      return fail(
        `nil pointer evaluating ${isRoot && this.options.rootType ? this.options.rootType : 'interface {}'}.${name}`,
      );
    if (isGoMap(receiver)) {
      if (hasArgs) fail(`${name} is not a method but has arguments`);
      const v = receiver instanceof Map ? receiver.get(name) : (receiver as Record<string, unknown>)[name];
      return typeof v === 'function' ? (v as () => unknown).call(receiver) : v;
    }
    if (isObject(receiver) && !Array.isArray(receiver) && hasField(receiver, name)) {
      const v = (receiver as Record<string, unknown>)[name];
      if (typeof v === 'function') {
        const callArgs = args.map((a) => this.evalArg(dot, a));
        if (final !== NO_FINAL) callArgs.push(final);
        try {
          return (v as (...a: unknown[]) => unknown).apply(receiver, callArgs);
        } catch (e) {
          if (e instanceof TemplateExecError) throw e;
          return fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (hasArgs) fail(`${name} has arguments but cannot be invoked as function`);
      return v;
    }
    const typeName =
      isObject(receiver) && !Array.isArray(receiver)
        ? structTypeName(receiver, this.options.rootType, isRoot)
        : goTypeName(receiver);
    return fail(`can't evaluate field ${name} in type ${typeName}`);
  }

  private evalFunction(dot: unknown, name: string, cmd: Command, argNodes: Arg[], final: Final): unknown {
    const fail = (msg: string): never => {
      throw new TemplateExecError(msg, cmd.pos, cmd.src);
    };
    const nargs = argNodes.length + (final !== NO_FINAL ? 1 : 0);
    if (name === 'and' || name === 'or') {
      if (nargs < 1) fail(`wrong number of args for ${name}: want at least 1 got 0`);
      // Short-circuit: later operands are not evaluated once the outcome is known.
      let v: unknown;
      for (let i = 0; i < nargs; i++) {
        v = i < argNodes.length ? this.evalArg(dot, argNodes[i]) : final;
        if (name === 'and' ? !isTrue(v) : isTrue(v)) return v;
      }
      return v;
    }
    const fn = (this.header ? HEADER_PASSTHROUGH[name] : undefined) ?? BUILTINS[name];
    if (!fn) return fail(`"${name}" is not a defined function`);
    if (nargs < fn.min || nargs > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : `at least ${fn.min}`;
      fail(`wrong number of args for ${name}: want ${want} got ${nargs}`);
    }
    const args = argNodes.map((a) => this.evalArg(dot, a));
    if (final !== NO_FINAL) args.push(final);
    try {
      return fn.fn(args);
    } catch (e) {
      if (e instanceof ArgTypeError) return fail(e.message);
      if (e instanceof FuncError) return fail(`error calling ${name}: ${e.message}`);
      throw e;
    }
  }
}

function hasField(o: object, name: string): boolean {
  if (Object.hasOwn(o, name)) return true;
  // Getters and methods of class instances count; Object.prototype's members do not.
  for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, name)) return true;
  }
  return false;
}
