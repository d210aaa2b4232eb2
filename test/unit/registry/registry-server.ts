import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Debian `docker-registry` on a free loopback port, for the client tests. */
export interface TestRegistry {
  /** host:port */
  host: string;
  stop(): Promise<void>;
}

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startRegistry(auth?: { user: string; password: string }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-test-'));
  const port = await freePort();
  let authConf = '';
  if (auth) {
    const line = execFileSync('htpasswd', ['-Bbn', auth.user, auth.password], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
    authConf = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
${authConf}`,
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += String(c);
  });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`docker-registry did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    host,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
