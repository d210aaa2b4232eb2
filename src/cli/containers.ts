import type { Context } from './command.js';

/** Opens the container engine for a verb (loaded lazily by the verb's run). */
export async function containerEngine(ctx: Context) {
  const [{ openContainerEngine }, { engineContext }] = await Promise.all([
    import('../engine/containers/common.js'),
    import('../engine/context.js'),
  ]);
  return openContainerEngine(engineContext(ctx.global));
}

/**
 * Runs `fn` for each target and reports every failure as an `Error:` line, as Docker does for
 * `rm a b c`; the exit code is 125 if anything failed (1 when only missing targets failed and
 * `missingIsOne` is set, as for `rm`).
 */
export async function forEachTarget(
  ctx: Context,
  targets: string[],
  fn: (target: string) => Promise<string | undefined>,
): Promise<number> {
  const { isBerthError } = await import('../util/errors.js');
  let failed = false;
  for (const t of targets) {
    try {
      const out = await fn(t);
      if (out !== undefined) ctx.stdout.write(`${out}\n`);
    } catch (e) {
      if (!isBerthError(e)) throw e;
      failed = true;
      ctx.stderr.write(`Error: ${e.message}\n`);
    }
  }
  return failed ? 125 : 0;
}
