import { execFile, spawn } from 'node:child_process';
import { BerthError } from '../util/errors.js';
import { debug } from '../util/log.js';
import type { RuntimeChoice } from './detect.js';
import { runtimeErrorText } from './monitor-protocol.js';

export interface RuntimeResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RuntimeState {
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  pid: number;
}

/** Calls to runc/crun for one runtime state directory (`--root`). */
export class OciRuntime {
  constructor(
    readonly choice: RuntimeChoice,
    readonly root: string,
  ) {}

  get path(): string {
    return this.choice.path;
  }

  run(args: string[], opts: { timeoutMs?: number } = {}): Promise<RuntimeResult> {
    const argv = ['--root', this.root, ...args];
    debug(`${this.choice.name} ${argv.join(' ')}`);
    return new Promise((resolve) => {
      execFile(
        this.path,
        argv,
        { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 << 20 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  private async must(what: string, args: string[]): Promise<RuntimeResult> {
    const r = await this.run(args);
    if (r.code !== 0)
      throw new BerthError(`${what}: ${runtimeErrorText(r.stderr) || `exit status ${r.code}`}`);
    return r;
  }

  async state(id: string): Promise<RuntimeState | undefined> {
    const r = await this.run(['state', id]);
    if (r.code !== 0) return undefined;
    try {
      const s = JSON.parse(r.stdout) as RuntimeState;
      return { status: s.status, pid: s.pid };
    } catch {
      return undefined;
    }
  }

  async start(id: string): Promise<void> {
    await this.must(`starting container ${id.slice(0, 12)}`, ['start', id]);
  }

  /** Sends a signal; a container that is already gone is not an error. */
  async kill(id: string, signal: string, all = false): Promise<boolean> {
    const r = await this.run(['kill', ...(all ? ['--all'] : []), id, signal]);
    if (r.code === 0) return true;
    if (/not running|does not exist|no such process|container not running/i.test(r.stderr)) return false;
    throw new BerthError(`signalling container ${id.slice(0, 12)}: ${runtimeErrorText(r.stderr)}`);
  }

  /** Forgets the container (killing it first when forced); absent containers are fine. */
  async delete(id: string, force: boolean): Promise<void> {
    const r = await this.run(['delete', ...(force ? ['--force'] : []), id]);
    if (r.code === 0 || /does not exist|not exist/i.test(r.stderr)) return;
    throw new BerthError(
      `deleting container ${id.slice(0, 12)} from ${this.choice.name}: ${runtimeErrorText(r.stderr)}`,
    );
  }

  async pids(id: string): Promise<number[]> {
    const r = await this.must(`listing processes of ${id.slice(0, 12)}`, ['ps', '--format', 'json', id]);
    return (JSON.parse(r.stdout || '[]') as number[]) ?? [];
  }

  async pause(id: string): Promise<void> {
    await this.must(`pausing ${id.slice(0, 12)}`, ['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.must(`unpausing ${id.slice(0, 12)}`, ['resume', id]);
  }

  /**
   * `exec` with the caller's stdio: the runtime handles the tty in the foreground. A detached
   * exec gets no stdio at all (the process would inherit it and keep the caller's pipes open);
   * its runtime errors go to `logFile` (JSON lines) instead.
   */
  spawnExec(
    id: string,
    processJsonPath: string,
    opts: { tty: boolean; detach: boolean; pidFile?: string; stdin?: boolean; logFile?: string },
  ) {
    const argv = ['--root', this.root];
    if (opts.logFile) argv.push('--log', opts.logFile, '--log-format', 'json');
    argv.push('exec', '--process', processJsonPath);
    if (opts.tty) argv.push('--tty');
    if (opts.detach) argv.push('--detach');
    if (opts.pidFile) argv.push('--pid-file', opts.pidFile);
    argv.push(id);
    debug(`${this.choice.name} ${argv.join(' ')}`);
    // Without -i the process gets no input, as with Docker's exec.
    const stdin = opts.stdin === false ? 'ignore' : 'inherit';
    return spawn(this.path, argv, { stdio: opts.detach ? 'ignore' : [stdin, 'inherit', 'pipe'] });
  }
}
