/**
 * Start-up and phase timings for benchmarks: with BERTH_TRACE=1 each call prints the time since
 * the process started, so `bench/run` can say where a command's time goes.
 */
const enabled = process.env.BERTH_TRACE === '1';

export function trace(label: string): void {
  if (!enabled) return;
  process.stderr.write(`TRACE ${(performance.now()).toFixed(1)}ms ${label}\n`);
}
