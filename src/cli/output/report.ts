import type { Writable } from 'node:stream';
import { goJson } from './gojson.js';
import { compileTemplate } from './template.js';
import { toYaml } from './yaml.js';

/**
 * Podman's reports use lower-case JSON keys while its templates name Go fields (`.Host.Arch`);
 * templates here see keys with their first letter upper-cased, and the JSON keeps the original.
 */
export function goFieldNames(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goFieldNames);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k.charAt(0).toUpperCase() + k.slice(1), goFieldNames(x)]),
  );
}

/**
 * Prints one report object (info, version): YAML-like by default, `json` as indented JSON,
 * anything else as a Go template.
 */
export function printReport(out: Writable, report: unknown, format: string | undefined): void {
  if (!format) {
    out.write(toYaml(report));
  } else if (format === 'json') {
    out.write(`${goJson(report, { indent: '    ', escapeHtml: true })}\n`);
  } else {
    const text = compileTemplate(format).render(goFieldNames(report));
    out.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
