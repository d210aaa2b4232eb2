/**
 * One entry point for list commands' output: the default table, `table ...` templates,
 * `json` (a JSON array, as Podman prints it), `{{json .}}` lines and any other template.
 */
import { goJson } from './gojson.js';
import { type TemplateOptions, compileTemplate } from './template.js';
import { DOCKER_TABWRITER, tabwrite } from './tabwriter.js';

export interface FormatOutputOptions {
  /** The user's `--format`; absent or `table` means the default table. */
  format?: string;
  rows: readonly unknown[];
  /** The command's table, e.g. `table {{.ID}}\t{{.Image}}` (the `table` prefix is optional). */
  defaultTableFormat: string;
  /** Column headers by field name. */
  headers?: Readonly<Record<string, string>>;
  /** `-q`: print only the quiet field, unless the user gave a template of their own. */
  quiet?: boolean;
  /** The field `-q` prints; `ID` by default. */
  quietField?: string;
  /** Go type named in field errors. */
  typeName?: string;
}

function withTablePrefix(format: string): string {
  return format.startsWith('table') ? format : `table ${format}`;
}

/** The whole output, every line newline-terminated ('' when a non-table format has no rows). */
export function formatOutput(options: FormatOutputOptions): string {
  const requested = options.format?.trim();
  const useDefault = !requested || requested === 'table';
  if (options.quiet && useDefault) {
    const field = options.quietField ?? 'ID';
    return renderRows(`{{.${field}}}`, options);
  }
  if (requested === 'json') {
    // Podman: json.MarshalIndent(rows, "", "    "), which escapes HTML.
    return goJson([...options.rows], { indent: '    ', escapeHtml: true }) + '\n';
  }
  return renderRows(useDefault ? withTablePrefix(options.defaultTableFormat) : requested, options);
}

/** Renders `format` (a `--format` value) for each row; tables get their header and alignment. */
export function renderRows(
  format: string,
  options: Omit<FormatOutputOptions, 'format' | 'defaultTableFormat'>,
): string {
  const templateOptions: TemplateOptions = { headers: options.headers, typeName: options.typeName };
  const tmpl = compileTemplate(format, templateOptions);
  let body = '';
  for (const row of options.rows) body += tmpl.render(row) + '\n';
  if (!tmpl.isTable) return body;
  return tabwrite(tmpl.renderHeader() + '\n' + body, DOCKER_TABWRITER);
}
