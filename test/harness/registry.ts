import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RunningRegistry {
  /** 127.0.0.1:<port> */
  addr: string;
  dir: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Require HTTP basic auth with this user (bcrypt htpasswd file). */
  htpasswd?: { username: string; password: string };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Start Debian's distribution registry on a free loopback port and wait until /v2/ answers. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), `berth-registry${opts.htpasswd ? '-auth' : ''}-`));
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  let auth: Record<string, unknown> | undefined;
  if (opts.htpasswd) {
    const line = execFileSync('htpasswd', ['-Bbn', opts.htpasswd.username, opts.htpasswd.password], {
      encoding: 'utf8',
    });
    const path = join(dir, 'htpasswd');
    writeFileSync(path, `${line.trim()}\n`);
    auth = { htpasswd: { realm: 'berth-test', path } };
  }
  // The port can be taken between freePort() and the registry's bind: retry a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    // YAML is a superset of JSON, so the config is written as JSON.
    const config = {
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storage },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr, secret: 'berth-test-secret', headers: { 'X-Content-Type-Options': ['nosniff'] } },
      ...(auth ? { auth } : {}),
    };
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const logPath = join(dir, `registry-${attempt}.log`);
    const log = openSync(logPath, 'w');
    const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', log, log] });
    closeSync(log);
    const up = await waitForV2(addr, child, 15_000);
    if (up) {
      return { addr, dir, stop: () => stopRegistry(child, dir) };
    }
    await stopRegistry(child, undefined);
    const text = readFileSync(logPath, 'utf8');
    if (!/address already in use/.test(text)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start on ${addr}:\n${text.slice(-2000)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('docker-registry: no free port after 5 attempts');
}

async function waitForV2(addr: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(`http://${addr}/v2/`);
      await res.body?.cancel();
      // 401 is the auth registry answering: it is up.
      if (res.status === 200 || res.status === 401) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function stopRegistry(child: ChildProcess, dir: string | undefined): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return finish();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      finish();
    });
    child.kill('SIGTERM');
  });
}
