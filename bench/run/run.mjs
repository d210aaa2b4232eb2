#!/usr/bin/env node
// berth vs rootless Podman: run --rm, run -d + stop + rm, exec, ps with 50 containers,
// monitor RSS. See README.md. Alternates the two engines in every round; prints medians.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, chownSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const USER = process.env.BENCH_USER ?? 'berthtest';
if (process.getuid() !== 0) throw new Error('run as root (it runs both engines as the unprivileged user)');
const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
const home = execFileSync('getent', ['passwd', USER], { encoding: 'utf8' }).split(':')[5];
const work = mkdtempSync('/var/tmp/berth-bench-run-');
const runtimeDir = join(work, 'xdg');
for (const d of [work, runtimeDir]) {
  mkdirSync(d, { recursive: true, mode: 0o700 });
  chownSync(d, uid, gid);
}
const env = {
  HOME: home,
  USER,
  LOGNAME: USER,
  PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${dirname(process.execPath)}`,
  XDG_RUNTIME_DIR: runtimeDir,
};
const asUser = (cmd, args) => [
  'setpriv',
  ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--', cmd, ...args],
];

const berthStore = ['--root', join(work, 'berth-root'), '--runroot', join(work, 'berth-run')];
const podmanStore = [
  '--runtime',
  'runc',
  '--root',
  join(work, 'podman-root'),
  '--runroot',
  join(work, 'podman-run'),
  '--cgroup-manager',
  'cgroupfs',
  '--events-backend',
  'none',
];
const engines = {
  berth: (args) => asUser(join(top, 'bin', 'berth'), [...berthStore, ...args]),
  podman: (args) => asUser('podman', [...podmanStore, ...args]),
};

function run(engine, args, { check = true, envExtra = {} } = {}) {
  const [cmd, argv] = engines[engine](args);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env: { ...env, ...envExtra }, cwd: '/tmp', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (check && r.status !== 0) throw new Error(`${engine} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { ms, stdout: r.stdout.trim(), stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// A loopback registry with the busybox test image.
execFileSync(join(top, 'node_modules', '.bin', 'esbuild'), [
  '--bundle',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--log-level=warning',
  `--outfile=${join(work, 'registry.mjs')}`,
  join(top, 'scripts', 'local-registry.ts'),
  "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
]);
const registry = spawn(process.execPath, [join(work, 'registry.mjs')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const image = await new Promise((resolve) =>
  registry.stdout.once('data', (d) => resolve(d.toString().trim())),
);
const results = {};
const record = (name, engine, ms) => (results[name] ??= { berth: [], podman: [] })[engine].push(ms);

try {
  run('berth', ['pull', '-q', image]);
  run('podman', ['pull', '-q', '--tls-verify=false', image]);
  for (const e of ['berth', 'podman']) run(e, ['run', '--rm', image, 'true']); // warm caches

  for (let i = 0; i < ROUNDS; i++) {
    for (const e of i % 2 ? ['podman', 'berth'] : ['berth', 'podman']) {
      record('run --rm true', e, run(e, ['run', '--rm', image, 'true']).ms);
      const name = `bench-${e}-${i}`;
      const d = run(e, ['run', '-d', '--name', name, image, 'sleep', '1000']);
      const x = run(e, ['exec', name, 'true']);
      const s = run(e, ['stop', '-t', '0', name]);
      const r = run(e, ['rm', name]);
      record('run -d + stop + rm', e, d.ms + s.ms + r.ms);
      record('exec true', e, x.ms);
    }
  }

  // ps with 50 containers, and monitor memory.
  for (const e of ['berth', 'podman']) {
    for (let i = 0; i < 50; i++) run(e, ['run', '-d', '--name', `many-${e}-${i}`, image, 'sleep', '1000']);
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const e of i % 2 ? ['podman', 'berth'] : ['berth', 'podman'])
      record('ps (50 containers)', e, run(e, ['ps']).ms);
  }
  const rss = (comm) => {
    const kb = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        if (!status.includes(`\nUid:\t${uid}\t`)) continue;
        kb.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {}
    }
    return kb;
  };
  const monitorRss = { berth: rss('berth-monitor'), podman: rss('conmon') };
  const trace = run('berth', ['run', '--rm', image, 'true'], { envExtra: { BERTH_TRACE: '1' } });
  for (const e of ['berth', 'podman']) {
    const ids = run(e, ['ps', '-aq']).stdout.split('\n').filter(Boolean);
    for (let i = 0; i < ids.length; i += 25) run(e, ['rm', '-f', ...ids.slice(i, i + 25)]);
  }

  console.log(`\nberth vs rootless Podman (runc), ${ROUNDS} rounds, alternating; medians in ms\n`);
  console.log(
    `${'operation'.padEnd(24)}${'berth'.padStart(10)}${'podman'.padStart(10)}${'ratio'.padStart(9)}`,
  );
  for (const [name, r] of Object.entries(results)) {
    const b = median(r.berth);
    const p = median(r.podman);
    console.log(
      `${name.padEnd(24)}${b.toFixed(1).padStart(10)}${p.toFixed(1).padStart(10)}${(b / p).toFixed(2).padStart(9)}`,
    );
  }
  const m = (xs) => (xs.length ? median(xs) : NaN);
  console.log(
    `${'monitor RSS (kB)'.padEnd(24)}${m(monitorRss.berth).toFixed(0).padStart(10)}${m(monitorRss.podman).toFixed(0).padStart(10)}${(m(monitorRss.berth) / m(monitorRss.podman)).toFixed(2).padStart(9)}`,
  );
  console.log(
    `  (${monitorRss.berth.length} berth-monitor and ${monitorRss.podman.length} conmon processes measured)`,
  );
  console.log('\nwhere berth run --rm spends its time (BERTH_TRACE, ms since process start):');
  console.log(
    trace.stderr
      .split('\n')
      .filter((l) => l.startsWith('TRACE'))
      .map((l) => `  ${l.slice(6)}`)
      .join('\n'),
  );
} finally {
  registry.kill();
  // Each engine's namespace-keeping process for this run's runtime dir (not other users' ones).
  for (const f of ['berth/pause.pid', 'libpod/tmp/pause.pid']) {
    try {
      process.kill(Number(readFileSync(join(runtimeDir, f), 'utf8')), 'SIGKILL');
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
}
