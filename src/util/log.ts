/**
 * Diagnostics on stderr. The level is set once by the CLI from --log-level; engine code only
 * calls debug()/warn(). Warnings go out at the default level, as Podman prints them.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let current: LogLevel = 'warn';

export function setLogLevel(level: LogLevel): void {
  current = level;
}

export function logLevel(): LogLevel {
  return current;
}

export function isDebug(): boolean {
  return current === 'debug';
}

export function debug(message: string): void {
  if (order[current] <= order.debug) process.stderr.write(`DEBU ${message}\n`);
}

export function info(message: string): void {
  if (order[current] <= order.info) process.stderr.write(`INFO ${message}\n`);
}

export function warn(message: string): void {
  if (order[current] <= order.warn) process.stderr.write(`Warning: ${message}\n`);
}
