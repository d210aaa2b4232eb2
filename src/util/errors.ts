/**
 * Expected failures. The CLI maps these to one `Error: <message>` line and an exit code;
 * anything else is a bug and gets a stack trace at --log-level=debug.
 */
export const ExitCode = {
  /** Engine or usage error (Docker and Podman agree). */
  Engine: 125,
  /** The container command could not be invoked. */
  CannotInvoke: 126,
  /** The container command was not found. */
  NotFound: 127,
} as const;

export interface BerthErrorOptions {
  exitCode?: number;
  hint?: string;
  cause?: unknown;
  /** A machine-readable kind, e.g. 'not-found', 'unauthorized', 'conflict'. */
  code?: string;
}

export class BerthError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  readonly code?: string;

  constructor(message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BerthError';
    this.exitCode = options.exitCode ?? ExitCode.Engine;
    this.hint = options.hint;
    this.code = options.code;
  }
}

export function isBerthError(e: unknown): e is BerthError {
  return e instanceof BerthError;
}

/** The message of any thrown value, for wrapping: `${what}: ${errorMessage(e)}`. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Wraps `e` as a BerthError that says what failed, keeping an existing BerthError's exit code. */
export function wrapError(what: string, e: unknown): BerthError {
  if (isBerthError(e)) {
    return new BerthError(`${what}: ${e.message}`, {
      exitCode: e.exitCode,
      hint: e.hint,
      code: e.code,
      cause: e,
    });
  }
  return new BerthError(`${what}: ${errorMessage(e)}`, { cause: e });
}
