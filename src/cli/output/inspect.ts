import type { Context } from '../command.js';
import { compileTemplate } from './template.js';
import { isBerthError } from '../../util/errors.js';

/**
 * `inspect` output for several targets: a JSON array of what was found (Docker prints `[]`
 * when nothing was), or one template line per target; every failure is reported on stderr
 * and makes the exit code non-zero, without hiding the other targets.
 */
export async function printInspect(
  ctx: Context,
  targets: string[],
  inspect: (name: string) => Promise<unknown>,
  format: string | undefined,
): Promise<number> {
  const found: unknown[] = [];
  let failed = 0;
  const tmpl = format && format !== 'json' ? compileTemplate(format) : undefined;
  for (const t of targets) {
    try {
      const v = await inspect(t);
      found.push(v);
    } catch (e) {
      if (!isBerthError(e)) throw e;
      failed++;
      ctx.stderr.write(`Error: ${e.message}\n`);
    }
  }
  if (tmpl) {
    for (const v of found) {
      const text = tmpl.render(v);
      ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  } else {
    ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  }
  return failed ? 125 : 0;
}
