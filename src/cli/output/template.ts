/**
 * `--format` templates as docker/cli prepares them: a leading `table` makes a table (header
 * row plus tabwriter alignment), surrounding spaces are trimmed, and the two-character
 * sequences `\t` and `\n` typed on the command line become a tab and a newline.
 */
import { BerthError } from '../../util/errors.js';
import { Executor, FUNCTION_NAMES, HeaderSource, TemplateExecError } from './template-exec.js';
import { type Node, TemplateParseError, parseTemplate } from './template-parse.js';

export { GO_MAP, GO_TYPE, goMap, withGoType, isTrue } from './template-exec.js';

export interface TemplateOptions {
  /** Column headers by field name (`{ ID: 'CONTAINER ID', RunningFor: 'CREATED' }`). */
  headers?: Readonly<Record<string, string>>;
  /** The Go type named in `can't evaluate field X in type T` for the row objects. */
  typeName?: string;
  /** The template name in error messages; Docker's is empty. */
  name?: string;
}

export interface CompiledTemplate {
  /** The format began with `table`. */
  readonly isTable: boolean;
  /** The header row's cells (the header template's output split on tabs). */
  readonly headers: string[];
  /** The template text after the `table` prefix, trimming and escape handling. */
  readonly text: string;
  /** Executes the template on one row (no trailing newline added). */
  render(data: unknown): string;
  /** The header row, with `headers` overriding the compile-time header names. */
  renderHeader(headers?: Readonly<Record<string, string>>): string;
}

const TABLE_PREFIX = 'table';

/** docker/cli's preFormat: strips `table`, trims spaces, turns literal `\t` `\n` into characters. */
export function prepareFormat(format: string): { isTable: boolean; text: string } {
  const isTable = format.startsWith(TABLE_PREFIX);
  let text = isTable ? format.slice(TABLE_PREFIX.length) : format;
  text = text.replace(/^ +| +$/g, '');
  text = text.replace(/\\([tn])/g, (_m, c: string) => (c === 't' ? '\t' : '\n'));
  return { isTable, text };
}

/** A field's default column header: `CreatedAt` -> `CREATED AT`, `ImageID` -> `IMAGE ID`. */
export function headerName(field: string): string {
  return field
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toUpperCase();
}

function lineCol(src: string, pos: number): string {
  const before = src.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  return `${line}:${nl < 0 ? pos : pos - (nl + 1)}`;
}

function headerSource(headers: Readonly<Record<string, string>> | undefined): HeaderSource {
  return new HeaderSource((names) => {
    const full = names.join('.');
    const last = names[names.length - 1];
    return headers?.[full] ?? headers?.[last] ?? headerName(last);
  });
}

/** Parses a `--format` value once; render it for every row. Throws BerthError on bad syntax. */
export function compileTemplate(src: string, options: TemplateOptions = {}): CompiledTemplate {
  const { isTable, text } = prepareFormat(src);
  const name = options.name ?? '';
  let nodes: Node[];
  try {
    nodes = parseTemplate(text, FUNCTION_NAMES);
  } catch (e) {
    if (e instanceof TemplateParseError) throw new BerthError(`template: ${name}:${e.line}: ${e.message}`);
    throw e;
  }
  const renderHeader = (headers = options.headers): string => {
    const exec = new Executor(headerSource(headers), { rootType: options.typeName });
    try {
      return exec.run(nodes);
    } catch {
      // docker/cli ignores header errors and prints what was written so far.
      return exec.partial();
    }
  };
  let headerCells: string[] | undefined;
  return {
    isTable,
    text,
    get headers() {
      headerCells ??= renderHeader().split('\t');
      return headerCells;
    },
    render(data: unknown): string {
      try {
        return new Executor(data, { rootType: options.typeName }).run(nodes);
      } catch (e) {
        if (e instanceof TemplateExecError) {
          const at = `${name}:${lineCol(text, e.pos)}`;
          throw new BerthError(`template: ${at}: executing "${name}" at <${e.context}>: ${e.message}`);
        }
        throw e;
      }
    },
    renderHeader,
  };
}
