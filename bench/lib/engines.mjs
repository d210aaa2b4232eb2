// Shared by the benchmarks: both engines as the unprivileged user with stores of their own,
// a loopback registry holding the test busybox image, and medians. Run as root.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const top = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * A work dir (keep `prefix` short: Podman puts slirp4netns's API socket, limited to 107 bytes,
 * under XDG_RUNTIME_DIR), the user's environment, and `run(engine, args)` for 'berth' and
 * 'podman' (Podman with runc, since crun refuses this machine's hybrid cgroups).
 */
export function benchSetup(prefix) {
  const user = process.env.BENCH_USER ?? 'berthtest';
  if (process.getuid() !== 0) throw new Error('run as root (it runs both engines as the unprivileged user)');
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  const home = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':')[5];
  const work = mkdtempSync(prefix);
  const runtimeDir = join(work, 'x');
  for (const d of [work, runtimeDir]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    chownSync(d, uid, gid);
  }
  const env = {
    HOME: home,
    USER: user,
    LOGNAME: user,
    PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${dirname(process.execPath)}`,
    XDG_RUNTIME_DIR: runtimeDir,
  };
  const asUser = (cmd, args) => [
    'setpriv',
    ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--', cmd, ...args],
  ];
  const berthStore = ['--root', join(work, 'berth-root'), '--runroot', join(work, 'berth-run')];
  const podmanStore = ['--runtime', 'runc', '--root', join(work, 'podman-root'), '--runroot', join(work, 'podman-run'),
    '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'];
  const engines = {
    berth: (args) => asUser(join(top, 'bin', 'berth'), [...berthStore, ...args]),
    podman: (args) => asUser('podman', [...podmanStore, ...args]),
  };
  /** Runs one engine command; returns its time, output, and stderr. Throws on failure unless check is false. */
  function run(engine, args, { check = true, envExtra = {} } = {}) {
    const [cmd, argv] = engines[engine](args);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { env: { ...env, ...envExtra }, cwd: '/tmp', encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (check && r.status !== 0) throw new Error(`${engine} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    return { ms, stdout: r.stdout.trim(), stderr: r.stderr };
  }
  let registry;
  /** Starts the loopback registry (scripts/local-registry.ts); resolves to the image reference. */
  async function startRegistry() {
    execFileSync(join(top, 'node_modules', '.bin', 'esbuild'), [
      '--bundle', '--platform=node', '--format=esm', '--target=node20', '--log-level=warning',
      `--outfile=${join(work, 'registry.mjs')}`, join(top, 'scripts', 'local-registry.ts'),
      "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    ]);
    registry = spawn(process.execPath, [join(work, 'registry.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve) => registry.stdout.once('data', (d) => resolve(d.toString().trim())));
  }
  /** Stops the registry and each engine's namespace process for this run, and removes the work dir. */
  function cleanup() {
    registry?.kill();
    for (const f of ['berth/pause.pid', 'libpod/tmp/pause.pid']) {
      try {
        process.kill(Number(readFileSync(join(runtimeDir, f), 'utf8')), 'SIGKILL');
      } catch {}
    }
    rmSync(work, { recursive: true, force: true });
  }
  return { uid, work, runtimeDir, run, startRegistry, cleanup };
}
