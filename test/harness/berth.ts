import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness } from './context.js';
import type { TestStore } from './store.js';

export { type BerthUser, berthUser } from './user.js';
export { newTestStore, type TestStore, uniqueName } from './store.js';

export interface BerthOptions {
  /** The exit code the command must end with (default 0); a different one throws. */
  expectExit?: number;
  /** Run as the unprivileged test user (default) or as root (only when the tests run as root). */
  as?: 'user' | 'root';
  input?: string | Buffer;
  /** Added to the clean environment the command gets. */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Prepends `--root <store.root> --runroot <store.runRoot>`. */
  store?: TestStore;
  /** Working directory (default: the user's home). */
  cwd?: string;
}

export interface BerthResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function repoRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Run `<repo>/bin/berth args...` the way a user would; see BerthOptions. */
export async function berth(args: string[], opts: BerthOptions = {}): Promise<BerthResult> {
  const full = opts.store ? ['--root', opts.store.root, '--runroot', opts.store.runRoot, ...args] : args;
  return runAs(join(repoRoot(), 'bin', 'berth'), full, opts);
}

/**
 * Run any command as the test user (or root) with the same clean environment berth() uses:
 * HOME, USER, LOGNAME, PATH, XDG_RUNTIME_DIR and opts.env, nothing of the test process's own.
 */
export async function runAs(command: string, args: string[], opts: BerthOptions = {}): Promise<BerthResult> {
  const ctx = harness();
  const asRoot = opts.as === 'root';
  if (asRoot && !ctx.isRoot)
    throw new Error(`berth ${args.join(' ')}: 'as: root' needs the tests to run as root`);
  // node may live outside the system PATH (nvm, a tarball): keep its directory reachable.
  const path = `${SYSTEM_PATH}:${dirname(process.execPath)}`;
  let env: Record<string, string>;
  let argv: string[];
  let cwd: string;
  if (asRoot) {
    env = { HOME: '/root', USER: 'root', LOGNAME: 'root', PATH: path };
    argv = [command, ...args];
    cwd = opts.cwd ?? '/';
  } else {
    const u = ctx.user;
    env = { HOME: u.home, USER: u.name, LOGNAME: u.name, PATH: path, XDG_RUNTIME_DIR: ctx.runtimeDir };
    argv = ctx.isRoot
      ? [
          'setpriv',
          '--reuid',
          String(u.uid),
          '--regid',
          String(u.gid),
          '--init-groups',
          '--',
          command,
          ...args,
        ]
      : [command, ...args];
    cwd = opts.cwd ?? u.home;
  }
  Object.assign(env, opts.env ?? {});
  const result = await spawnCollect(argv, env, cwd, opts.input, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const want = opts.expectExit ?? 0;
  if (result.exitCode !== want) {
    throw new Error(
      `command ${[command, ...args].join(' ')} (as ${asRoot ? 'root' : ctx.user.name}) exited ${result.exitCode}, ` +
        `expected ${want}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
  return result;
}

function spawnCollect(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  input: string | Buffer | undefined,
  timeoutMs: number,
): Promise<BerthResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills everything it started in the foreground.
    const child = spawn(argv[0], argv.slice(1), {
      env,
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {}); // the command may exit without reading its input
    child.stdin.end(input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${argv.join(' ')}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(
          new Error(
            `command ${argv.join(' ')} timed out after ${timeoutMs} ms\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
          ),
        );
        return;
      }
      const exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
      resolve({ stdout, stderr, exitCode });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const n: Record<string, number> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGTERM: 15,
  };
  return n[signal] ?? 0;
}
