import type { Writable } from 'node:stream';
import { compileTemplate } from './template.js';
import { toYaml } from './yaml.js';

/**
 * Prints one report object (info, version, inspect of one thing): YAML-like by default,
 * `json` as indented JSON, anything else as a Go template.
 */
export function printReport(out: Writable, report: unknown, format: string | undefined): void {
  if (!format) {
    out.write(toYaml(report));
  } else if (format === 'json') {
    out.write(`${JSON.stringify(report, null, 4)}\n`);
  } else {
    const t = compileTemplate(format);
    const text = t.render(report);
    out.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
